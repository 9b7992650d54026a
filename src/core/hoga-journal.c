/* hoga-journal.c — the journal port: order states, the snapshot and the interface wrappers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-journal"

#include "config.h"

#include <string.h>

#include "hoga-journal.h"

G_DEFINE_QUARK (hoga-journal-error-quark, hoga_journal_error)

G_DEFINE_INTERFACE (HogaJournal, hoga_journal, G_TYPE_OBJECT)

/* Stable identifiers: they are what the journal stores. */
static const char * const order_state_names[] = {
  [HOGA_ORDER_STATE_PENDING] = "PENDING",
  [HOGA_ORDER_STATE_SENT] = "SENT",
  [HOGA_ORDER_STATE_ACCEPTED] = "ACCEPTED",
  [HOGA_ORDER_STATE_PARTIAL] = "PARTIAL",
  [HOGA_ORDER_STATE_FILLED] = "FILLED",
  [HOGA_ORDER_STATE_CANCELLED] = "CANCELLED",
  [HOGA_ORDER_STATE_REJECTED] = "REJECTED",
  [HOGA_ORDER_STATE_UNKNOWN] = "UNKNOWN",
};

static void
hoga_journal_default_init (HogaJournalInterface *iface)
{
}

void
hoga_journal_snapshot_free (HogaJournalSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->orders, g_array_unref);
  g_clear_pointer (&snapshot->fills, g_array_unref);
  g_clear_pointer (&snapshot->positions, g_array_unref);
  g_clear_pointer (&snapshot->bought_today, g_ptr_array_unref);
  g_free (snapshot);
}

/**
 * hoga_order_state_to_string:
 * @state: an order state
 *
 * Returns: a stable, untranslated identifier for the journal and structured logs
 */
const char *
hoga_order_state_to_string (HogaOrderState state)
{
  g_return_val_if_fail ((guint)state < G_N_ELEMENTS (order_state_names), "invalid");
  return order_state_names[state];
}

/**
 * hoga_order_state_from_string:
 * @text: an identifier from hoga_order_state_to_string()
 * @state: (out): the state
 *
 * Returns: FALSE, leaving @state alone, when @text names no state
 */
gboolean
hoga_order_state_from_string (const char     *text,
                              HogaOrderState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (order_state_names); i++)
    {
      if (strcmp (text, order_state_names[i]) == 0)
        {
          *state = (HogaOrderState)i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
hoga_order_state_is_terminal (HogaOrderState state)
{
  return state == HOGA_ORDER_STATE_FILLED
         || state == HOGA_ORDER_STATE_CANCELLED
         || state == HOGA_ORDER_STATE_REJECTED;
}

void
hoga_journal_record_order_async (HogaJournal           *self,
                                 const HogaOrderRecord *order,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (order != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->record_order_async (self, order, callback, user_data);
}

gint64
hoga_journal_record_order_finish (HogaJournal   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (HOGA_IS_JOURNAL (self), 0);
  return HOGA_JOURNAL_GET_IFACE (self)->record_order_finish (self, result, error);
}

void
hoga_journal_update_order_async (HogaJournal           *self,
                                 const HogaOrderRecord *order,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (order != NULL);
  g_return_if_fail (order->id > 0);
  HOGA_JOURNAL_GET_IFACE (self)->update_order_async (self, order, callback, user_data);
}

void
hoga_journal_record_fill_async (HogaJournal          *self,
                                const HogaFillRecord *fill,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (fill != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->record_fill_async (self, fill, callback, user_data);
}

gboolean
hoga_journal_record_fill_finish (HogaJournal   *self,
                                 GAsyncResult  *result,
                                 gboolean      *is_new,
                                 GError       **error)
{
  g_return_val_if_fail (HOGA_IS_JOURNAL (self), FALSE);
  return HOGA_JOURNAL_GET_IFACE (self)->record_fill_finish (self, result, is_new, error);
}

void
hoga_journal_save_position_async (HogaJournal              *self,
                                  const HogaPositionRecord *position,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (position != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->save_position_async (self, position, callback, user_data);
}

void
hoga_journal_remove_position_async (HogaJournal         *self,
                                    const char          *code,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (code != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->remove_position_async (self, code, callback, user_data);
}

void
hoga_journal_save_daily_async (HogaJournal           *self,
                               const HogaDailyRecord *daily,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (daily != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->save_daily_async (self, daily, callback, user_data);
}

void
hoga_journal_append_audit_async (HogaJournal           *self,
                                 const HogaAuditRecord *audit,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  g_return_if_fail (audit != NULL);
  HOGA_JOURNAL_GET_IFACE (self)->append_audit_async (self, audit, callback, user_data);
}

gboolean
hoga_journal_write_finish (HogaJournal   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (HOGA_IS_JOURNAL (self), FALSE);
  return HOGA_JOURNAL_GET_IFACE (self)->write_finish (self, result, error);
}

void
hoga_journal_load_async (HogaJournal         *self,
                         guint32              today,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  HOGA_JOURNAL_GET_IFACE (self)->load_async (self, today, callback, user_data);
}

HogaJournalSnapshot *
hoga_journal_load_finish (HogaJournal   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (HOGA_IS_JOURNAL (self), NULL);
  return HOGA_JOURNAL_GET_IFACE (self)->load_finish (self, result, error);
}

void
hoga_journal_close_async (HogaJournal         *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_JOURNAL (self));
  HOGA_JOURNAL_GET_IFACE (self)->close_async (self, callback, user_data);
}

gboolean
hoga_journal_close_finish (HogaJournal   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (HOGA_IS_JOURNAL (self), FALSE);
  return HOGA_JOURNAL_GET_IFACE (self)->close_finish (self, result, error);
}
