/* hoga-account.c — cash and holdings: the account frame and the summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Totals are recomputed from the rows in integer KRW after every change rather than taken
 * from kt00018's header, so the summary always agrees with the rows it sums, including
 * between two balance queries while ticks revalue the rows. Summing a few dozen holdings
 * per tick costs less than keeping running sums right across removals and replacements.
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-account.h"

#define BP_PER_UNIT 10000

struct _HogaAccount
{
  GObject     parent_instance;

  GPtrArray  *holdings;      /* HogaHolding, in list order */
  GHashTable *by_code;       /* code (owned by the item) → HogaHolding */

  gint64      cash;
  gint64      orderable;
  gint64      total_purchase;
  gint64      total_eval;
  gint64      total_pnl;
  gint64      return_bp;
  gint64      realized_today;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaAccount, hoga_account, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CASH,
  PROP_ORDERABLE,
  PROP_TOTAL_PURCHASE,
  PROP_TOTAL_EVAL,
  PROP_TOTAL_PNL,
  PROP_RETURN_BP,
  PROP_REALIZED_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT (N_PROPS <= 32);

static inline void
update (gint64  *field,
        gint64   value,
        guint    prop_id,
        guint32 *changed)
{
  if (*field != value)
    {
      *field = value;
      *changed |= 1u << prop_id;
    }
}

/* Notifies after every total is written, so a handler of one sees all of them current;
 * g_object_freeze_notify() would allocate a queue per tick on GLib 2.74. */
static void
notify_changed (HogaAccount *self,
                guint32      changed)
{
  for (guint prop_id = PROP_0 + 1; changed != 0 && prop_id < N_PROPS; prop_id++)
    {
      if (changed & (1u << prop_id))
        {
          changed &= ~(1u << prop_id);
          g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
        }
    }
}

static void
update_totals (HogaAccount *self)
{
  guint32 changed = 0;
  gint64 purchase = 0;
  gint64 eval = 0;
  gint64 pnl;

  for (guint i = 0; i < self->holdings->len; i++)
    {
      HogaHolding *item = g_ptr_array_index (self->holdings, i);

      purchase += hoga_holding_get_purchase_amount (item);
      eval += hoga_holding_get_eval_amount (item);
    }
  pnl = eval - purchase;

  update (&self->total_purchase, purchase, PROP_TOTAL_PURCHASE, &changed);
  update (&self->total_eval, eval, PROP_TOTAL_EVAL, &changed);
  update (&self->total_pnl, pnl, PROP_TOTAL_PNL, &changed);
  update (&self->return_bp, purchase > 0 ? pnl * BP_PER_UNIT / purchase : 0,
          PROP_RETURN_BP, &changed);

  notify_changed (self, changed);
}

static HogaHolding *
append_holding (HogaAccount *self,
                const char  *code,
                const char  *name)
{
  HogaHolding *item = hoga_holding_new (code, name);

  g_ptr_array_add (self->holdings, item);
  g_hash_table_insert (self->by_code, (gpointer) hoga_holding_get_code (item), item);
  return item;
}

static void
remove_holding_at (HogaAccount *self,
                   guint        position)
{
  HogaHolding *item = g_ptr_array_index (self->holdings, position);

  g_hash_table_remove (self->by_code, hoga_holding_get_code (item));
  g_ptr_array_remove_index (self->holdings, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static GType
hoga_account_get_item_type (GListModel *model)
{
  return HOGA_TYPE_HOLDING;
}

static guint
hoga_account_get_n_items (GListModel *model)
{
  return HOGA_ACCOUNT (model)->holdings->len;
}

static gpointer
hoga_account_get_item (GListModel *model,
                       guint       position)
{
  HogaAccount *self = HOGA_ACCOUNT (model);

  if (position >= self->holdings->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->holdings, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hoga_account_get_item_type;
  iface->get_n_items = hoga_account_get_n_items;
  iface->get_item = hoga_account_get_item;
}

static void
hoga_account_finalize (GObject *object)
{
  HogaAccount *self = HOGA_ACCOUNT (object);

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->holdings, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_account_parent_class)->finalize (object);
}

static void
hoga_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HogaAccount *self = HOGA_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_CASH:
      g_value_set_int64 (value, self->cash);
      break;
    case PROP_ORDERABLE:
      g_value_set_int64 (value, self->orderable);
      break;
    case PROP_TOTAL_PURCHASE:
      g_value_set_int64 (value, self->total_purchase);
      break;
    case PROP_TOTAL_EVAL:
      g_value_set_int64 (value, self->total_eval);
      break;
    case PROP_TOTAL_PNL:
      g_value_set_int64 (value, self->total_pnl);
      break;
    case PROP_RETURN_BP:
      g_value_set_int64 (value, self->return_bp);
      break;
    case PROP_REALIZED_TODAY:
      g_value_set_int64 (value, self->realized_today);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_param (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL,
                             G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
hoga_account_class_init (HogaAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_account_finalize;
  object_class->get_property = hoga_account_get_property;

  properties[PROP_CASH] = int64_param ("cash");
  properties[PROP_ORDERABLE] = int64_param ("orderable");
  properties[PROP_TOTAL_PURCHASE] = int64_param ("total-purchase");
  properties[PROP_TOTAL_EVAL] = int64_param ("total-eval");
  properties[PROP_TOTAL_PNL] = int64_param ("total-pnl");
  properties[PROP_RETURN_BP] = int64_param ("return-bp");
  properties[PROP_REALIZED_TODAY] = int64_param ("realized-today");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_account_init (HogaAccount *self)
{
  self->holdings = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}

HogaAccount *
hoga_account_new (void)
{
  return g_object_new (HOGA_TYPE_ACCOUNT, NULL);
}

gint64
hoga_account_get_cash (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->cash;
}

gint64
hoga_account_get_orderable (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->orderable;
}

gint64
hoga_account_get_total_purchase (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->total_purchase;
}

gint64
hoga_account_get_total_eval (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->total_eval;
}

gint64
hoga_account_get_total_pnl (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->total_pnl;
}

gint64
hoga_account_get_return_bp (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->return_bp;
}

gint64
hoga_account_get_realized_today (HogaAccount *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), 0);

  return self->realized_today;
}

/**
 * hoga_account_lookup:
 * @self: a #HogaAccount
 * @code: a stock code
 *
 * Returns: (transfer none) (nullable): the holding of @code
 */
HogaHolding *
hoga_account_lookup (HogaAccount *self,
                     const char  *code)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return g_hash_table_lookup (self->by_code, code);
}

/**
 * hoga_account_replace_holdings:
 * @self: a #HogaAccount
 * @balance: a kt00018 reply
 *
 * Makes the holdings those of @balance. The object of a code held before is kept and
 * updated in place, so rows and selections survive; codes no longer held (or held with
 * quantity 0) are removed, new codes are appended in the reply's order with one
 * #GListModel::items-changed. The "tracked" and "external" flags are the engine's and are
 * left alone.
 */
void
hoga_account_replace_holdings (HogaAccount       *self,
                               const HogaBalance *balance)
{
  g_autoptr(GHashTable) held = NULL;
  guint n_before;

  g_return_if_fail (HOGA_IS_ACCOUNT (self));
  g_return_if_fail (balance != NULL);

  held = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; balance->holdings != NULL && i < balance->holdings->len; i++)
    {
      const HogaHoldingInfo *holding = &g_array_index (balance->holdings, HogaHoldingInfo, i);

      if (holding->qty > 0)
        g_hash_table_add (held, (gpointer) holding->code);
    }

  for (guint i = self->holdings->len; i > 0; i--)
    {
      HogaHolding *item = g_ptr_array_index (self->holdings, i - 1);

      if (!g_hash_table_contains (held, hoga_holding_get_code (item)))
        remove_holding_at (self, i - 1);
    }

  n_before = self->holdings->len;
  for (guint i = 0; balance->holdings != NULL && i < balance->holdings->len; i++)
    {
      const HogaHoldingInfo *holding = &g_array_index (balance->holdings, HogaHoldingInfo, i);
      HogaHolding *item;

      if (holding->qty <= 0)
        continue;

      item = g_hash_table_lookup (self->by_code, holding->code);
      if (item == NULL)
        item = append_holding (self, holding->code, holding->name);
      hoga_holding_update (item, holding);
    }

  if (self->holdings->len > n_before)
    g_list_model_items_changed (G_LIST_MODEL (self), n_before, 0, self->holdings->len - n_before);

  update_totals (self);
}

/**
 * hoga_account_apply_balance_event:
 * @self: a #HogaAccount
 * @event: a 04 event
 *
 * Updates, appends or (at quantity 0) removes the holding of the event's code. Its
 * realized P&L (FID 990) is left alone: "realized-today" is the engine's figure.
 */
void
hoga_account_apply_balance_event (HogaAccount            *self,
                                  const HogaBalanceEvent *event)
{
  HogaHolding *item;

  g_return_if_fail (HOGA_IS_ACCOUNT (self));
  g_return_if_fail (event != NULL);

  item = g_hash_table_lookup (self->by_code, event->code);
  if (event->qty <= 0)
    {
      guint position;

      if (item != NULL && g_ptr_array_find (self->holdings, item, &position))
        remove_holding_at (self, position);
    }
  else
    {
      HogaHoldingInfo holding = { 0 };

      g_strlcpy (holding.code, event->code, sizeof holding.code);
      g_strlcpy (holding.name, event->name, sizeof holding.name);
      holding.qty = event->qty;
      holding.sellable_qty = event->sellable_qty;
      holding.avg_price = event->avg_price;
      holding.price = event->price;
      holding.purchase_amount = event->purchase_amount;

      if (item == NULL)
        {
          item = append_holding (self, event->code, event->name);
          hoga_holding_update (item, &holding);
          g_list_model_items_changed (G_LIST_MODEL (self), self->holdings->len - 1, 0, 1);
        }
      else
        {
          hoga_holding_update (item, &holding);
        }
    }

  update_totals (self);
}

/**
 * hoga_account_apply_tick:
 * @self: a #HogaAccount
 * @tick: a 0B tick
 *
 * Revalues the holding of the tick's code, if any, and the totals. Allocates nothing.
 *
 * Returns: %TRUE when the code is held
 */
gboolean
hoga_account_apply_tick (HogaAccount    *self,
                         const HogaTick *tick)
{
  HogaHolding *item;

  g_return_val_if_fail (HOGA_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (tick != NULL, FALSE);

  item = g_hash_table_lookup (self->by_code, tick->code);
  if (item == NULL)
    return FALSE;

  if (tick->price > 0 && tick->price != hoga_holding_get_price (item))
    {
      hoga_holding_set_price (item, tick->price);
      update_totals (self);
    }

  return TRUE;
}

/**
 * hoga_account_set_deposit:
 * @self: a #HogaAccount
 * @deposit: a kt00001 reply
 */
void
hoga_account_set_deposit (HogaAccount       *self,
                          const HogaDeposit *deposit)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_ACCOUNT (self));
  g_return_if_fail (deposit != NULL);

  update (&self->cash, deposit->cash, PROP_CASH, &changed);
  update (&self->orderable, deposit->orderable, PROP_ORDERABLE, &changed);
  notify_changed (self, changed);
}

/**
 * hoga_account_set_realized_today:
 * @self: a #HogaAccount
 * @realized: today's realized P&L, net of today's fees and taxes, KRW
 */
void
hoga_account_set_realized_today (HogaAccount *self,
                                 gint64       realized)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_ACCOUNT (self));

  update (&self->realized_today, realized, PROP_REALIZED_TODAY, &changed);
  notify_changed (self, changed);
}

/**
 * hoga_account_reset_day:
 * @self: a #HogaAccount
 *
 * Forgets today's realized P&L: call it when a new trading day starts.
 */
void
hoga_account_reset_day (HogaAccount *self)
{
  g_return_if_fail (HOGA_IS_ACCOUNT (self));

  hoga_account_set_realized_today (self, 0);
}
