/* hoga-tracker.c — the tracked positions: the tracking frame's model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-tracker.h"

struct _HogaTracker
{
  GObject     parent_instance;

  GPtrArray  *positions;   /* HogaPosition, in list order */
  GHashTable *by_code;     /* code (owned by the position) → HogaPosition */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaTracker, hoga_tracker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
hoga_tracker_get_item_type (GListModel *model)
{
  return HOGA_TYPE_POSITION;
}

static guint
hoga_tracker_get_n_items (GListModel *model)
{
  return HOGA_TRACKER (model)->positions->len;
}

static gpointer
hoga_tracker_get_item (GListModel *model,
                       guint       position)
{
  HogaTracker *self = HOGA_TRACKER (model);

  if (position >= self->positions->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->positions, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hoga_tracker_get_item_type;
  iface->get_n_items = hoga_tracker_get_n_items;
  iface->get_item = hoga_tracker_get_item;
}

static void
hoga_tracker_finalize (GObject *object)
{
  HogaTracker *self = HOGA_TRACKER (object);

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_tracker_parent_class)->finalize (object);
}

static void
hoga_tracker_class_init (HogaTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_tracker_finalize;
}

static void
hoga_tracker_init (HogaTracker *self)
{
  self->positions = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}

HogaTracker *
hoga_tracker_new (void)
{
  return g_object_new (HOGA_TYPE_TRACKER, NULL);
}

/**
 * hoga_tracker_add:
 * @self: a #HogaTracker
 * @position: a position to track
 *
 * Appends @position, taking a reference, unless its code is tracked already: one symbol
 * is never tracked twice.
 *
 * Returns: %TRUE when @position was added
 */
gboolean
hoga_tracker_add (HogaTracker  *self,
                  HogaPosition *position)
{
  const char *code;

  g_return_val_if_fail (HOGA_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (HOGA_IS_POSITION (position), FALSE);

  code = hoga_position_get_code (position);
  if (g_hash_table_contains (self->by_code, code))
    return FALSE;

  g_ptr_array_add (self->positions, g_object_ref (position));
  g_hash_table_insert (self->by_code, (gpointer) code, position);
  g_list_model_items_changed (G_LIST_MODEL (self), self->positions->len - 1, 0, 1);

  return TRUE;
}

/**
 * hoga_tracker_remove:
 * @self: a #HogaTracker
 * @code: a stock code
 *
 * Returns: %TRUE when @code was tracked
 */
gboolean
hoga_tracker_remove (HogaTracker *self,
                     const char  *code)
{
  HogaPosition *position;
  guint index;

  g_return_val_if_fail (HOGA_IS_TRACKER (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  position = g_hash_table_lookup (self->by_code, code);
  if (position == NULL)
    return FALSE;

  if (!g_ptr_array_find (self->positions, position, &index))
    g_assert_not_reached ();

  g_hash_table_remove (self->by_code, code);
  g_ptr_array_remove_index (self->positions, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);

  return TRUE;
}

/**
 * hoga_tracker_lookup:
 * @self: a #HogaTracker
 * @code: a stock code
 *
 * Returns: (transfer none) (nullable): the position of @code
 */
HogaPosition *
hoga_tracker_lookup (HogaTracker *self,
                     const char  *code)
{
  g_return_val_if_fail (HOGA_IS_TRACKER (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return g_hash_table_lookup (self->by_code, code);
}

/**
 * hoga_tracker_apply_tick:
 * @self: a #HogaTracker
 * @tick: a 0B tick
 *
 * Updates the price of the position of the tick's code. Allocates nothing.
 *
 * Returns: (transfer none) (nullable): the position, %NULL when the code is not tracked
 */
HogaPosition *
hoga_tracker_apply_tick (HogaTracker    *self,
                         const HogaTick *tick)
{
  HogaPosition *position;

  g_return_val_if_fail (HOGA_IS_TRACKER (self), NULL);
  g_return_val_if_fail (tick != NULL, NULL);

  position = g_hash_table_lookup (self->by_code, tick->code);
  if (position != NULL && tick->price > 0)
    hoga_position_set_price (position, tick->price);

  return position;
}
