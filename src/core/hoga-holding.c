/* hoga-holding.c — one holding of the account, a row of the account frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As in HogaQuote, an update writes every field first and then notifies the properties
 * that changed, so a handler sees a consistent row and nothing is allocated per tick.
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-holding.h"

#define BP_PER_UNIT 10000

struct _HogaHolding
{
  GObject   parent_instance;

  char     *code;
  char     *name;
  gint64    qty;
  gint64    sellable_qty;
  gint64    avg_price;
  gint64    price;
  gint64    purchase_amount;
  gint64    eval_amount;
  gint64    pnl;
  gint64    profit_bp;
  gboolean  tracked;
  gboolean  external;
};

G_DEFINE_FINAL_TYPE (HogaHolding, hoga_holding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_QTY,
  PROP_SELLABLE_QTY,
  PROP_AVG_PRICE,
  PROP_PRICE,
  PROP_PURCHASE_AMOUNT,
  PROP_EVAL_AMOUNT,
  PROP_PNL,
  PROP_PROFIT_BP,
  PROP_TRACKED,
  PROP_EXTERNAL,
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

/* A holding not valued yet (no price) is shown at cost rather than as a total loss. */
static void
revalue (HogaHolding *self,
         guint32         *changed)
{
  gint64 eval_amount = self->price > 0 ? self->price * self->qty : self->purchase_amount;
  gint64 pnl = eval_amount - self->purchase_amount;

  update (&self->eval_amount, eval_amount, PROP_EVAL_AMOUNT, changed);
  update (&self->pnl, pnl, PROP_PNL, changed);
  update (&self->profit_bp,
          self->purchase_amount > 0 ? pnl * BP_PER_UNIT / self->purchase_amount : 0,
          PROP_PROFIT_BP, changed);
}

static void
notify_changed (HogaHolding *self,
                guint32          changed)
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
hoga_holding_finalize (GObject *object)
{
  HogaHolding *self = HOGA_HOLDING (object);

  g_free (self->code);
  g_free (self->name);

  G_OBJECT_CLASS (hoga_holding_parent_class)->finalize (object);
}

static void
hoga_holding_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HogaHolding *self = HOGA_HOLDING (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_QTY:
      g_value_set_int64 (value, self->qty);
      break;
    case PROP_SELLABLE_QTY:
      g_value_set_int64 (value, self->sellable_qty);
      break;
    case PROP_AVG_PRICE:
      g_value_set_int64 (value, self->avg_price);
      break;
    case PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case PROP_PURCHASE_AMOUNT:
      g_value_set_int64 (value, self->purchase_amount);
      break;
    case PROP_EVAL_AMOUNT:
      g_value_set_int64 (value, self->eval_amount);
      break;
    case PROP_PNL:
      g_value_set_int64 (value, self->pnl);
      break;
    case PROP_PROFIT_BP:
      g_value_set_int64 (value, self->profit_bp);
      break;
    case PROP_TRACKED:
      g_value_set_boolean (value, self->tracked);
      break;
    case PROP_EXTERNAL:
      g_value_set_boolean (value, self->external);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_holding_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  HogaHolding *self = HOGA_HOLDING (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_NAME:
      hoga_holding_set_name (self, g_value_get_string (value));
      break;
    case PROP_TRACKED:
      hoga_holding_set_tracked (self, g_value_get_boolean (value));
      break;
    case PROP_EXTERNAL:
      hoga_holding_set_external (self, g_value_get_boolean (value));
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
hoga_holding_class_init (HogaHoldingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_holding_finalize;
  object_class->get_property = hoga_holding_get_property;
  object_class->set_property = hoga_holding_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_QTY] = int64_param ("qty");
  properties[PROP_SELLABLE_QTY] = int64_param ("sellable-qty");
  properties[PROP_AVG_PRICE] = int64_param ("avg-price");
  properties[PROP_PRICE] = int64_param ("price");
  properties[PROP_PURCHASE_AMOUNT] = int64_param ("purchase-amount");
  properties[PROP_EVAL_AMOUNT] = int64_param ("eval-amount");
  properties[PROP_PNL] = int64_param ("pnl");
  properties[PROP_PROFIT_BP] = int64_param ("profit-bp");
  properties[PROP_TRACKED] =
    g_param_spec_boolean ("tracked", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXTERNAL] =
    g_param_spec_boolean ("external", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_holding_init (HogaHolding *self)
{
}

HogaHolding *
hoga_holding_new (const char *code,
                  const char *name)
{
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);

  return g_object_new (HOGA_TYPE_HOLDING,
                       "code", code,
                       "name", name,
                       NULL);
}

const char *
hoga_holding_get_code (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), NULL);

  return self->code;
}

const char *
hoga_holding_get_name (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), NULL);

  return self->name;
}

void
hoga_holding_set_name (HogaHolding *self,
                       const char  *name)
{
  g_return_if_fail (HOGA_IS_HOLDING (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gint64
hoga_holding_get_qty (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->qty;
}

gint64
hoga_holding_get_sellable_qty (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->sellable_qty;
}

gint64
hoga_holding_get_avg_price (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->avg_price;
}

gint64
hoga_holding_get_price (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->price;
}

gint64
hoga_holding_get_purchase_amount (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->purchase_amount;
}

gint64
hoga_holding_get_eval_amount (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->eval_amount;
}

gint64
hoga_holding_get_pnl (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->pnl;
}

gint64
hoga_holding_get_profit_bp (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), 0);

  return self->profit_bp;
}

gboolean
hoga_holding_get_tracked (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), FALSE);

  return self->tracked;
}

void
hoga_holding_set_tracked (HogaHolding *self,
                          gboolean     tracked)
{
  g_return_if_fail (HOGA_IS_HOLDING (self));

  tracked = !!tracked;
  if (self->tracked == tracked)
    return;

  self->tracked = tracked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRACKED]);
}

gboolean
hoga_holding_get_external (HogaHolding *self)
{
  g_return_val_if_fail (HOGA_IS_HOLDING (self), FALSE);

  return self->external;
}

void
hoga_holding_set_external (HogaHolding *self,
                           gboolean     external)
{
  g_return_if_fail (HOGA_IS_HOLDING (self));

  external = !!external;
  if (self->external == external)
    return;

  self->external = external;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL]);
}

/**
 * hoga_holding_update:
 * @self: a #HogaHolding
 * @holding: the broker's figures for this code (kt00018 row, or a 04 event's)
 *
 * Takes quantity, sellable quantity, average price and purchase amount, and the price
 * when it is given (> 0); the valuation is derived from them. A purchase amount of 0
 * (optional in kt00018) is taken as average price × quantity.
 */
void
hoga_holding_update (HogaHolding           *self,
                     const HogaHoldingInfo *holding)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_HOLDING (self));
  g_return_if_fail (holding != NULL);

  if (holding->name[0] != '\0')
    hoga_holding_set_name (self, holding->name);

  update (&self->qty, holding->qty, PROP_QTY, &changed);
  update (&self->sellable_qty, holding->sellable_qty, PROP_SELLABLE_QTY, &changed);
  update (&self->avg_price, holding->avg_price, PROP_AVG_PRICE, &changed);
  update (&self->purchase_amount,
          holding->purchase_amount > 0 ? holding->purchase_amount
                                       : holding->avg_price * holding->qty,
          PROP_PURCHASE_AMOUNT, &changed);
  if (holding->price > 0)
    update (&self->price, holding->price, PROP_PRICE, &changed);
  revalue (self, &changed);

  notify_changed (self, changed);
}

/**
 * hoga_holding_set_price:
 * @self: a #HogaHolding
 * @price: the last traded price
 *
 * Revalues the holding at @price. Allocates nothing.
 */
void
hoga_holding_set_price (HogaHolding *self,
                        gint64       price)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_HOLDING (self));

  update (&self->price, price, PROP_PRICE, &changed);
  if (changed == 0)
    return;
  revalue (self, &changed);

  notify_changed (self, changed);
}
