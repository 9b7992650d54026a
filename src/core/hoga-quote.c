/* hoga-quote.c — the live quote of one symbol, a row of the quote book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A quote is updated by whole ticks. Every field is written first and the properties that
 * changed are notified afterwards, so a handler of any one of them sees the complete new
 * tick. g_object_freeze_notify() would give the same view but allocates a notify queue per
 * freeze on GLib 2.74; collecting the changed properties in a bit mask costs nothing.
 */
#define G_LOG_DOMAIN "hoga-models"

#include "config.h"

#include "hoga-quote.h"

struct _HogaQuote
{
  GObject  parent_instance;

  char    *code;
  char    *name;
  gint64   price;
  gint64   change;
  gint64   change_bp;
  gint64   volume;
  gint64   open;
  gint64   high;
  gint64   low;
  gint64   best_ask;
  gint64   best_bid;
  gint64   base_price;
  gint64   updated_us;
};

G_DEFINE_FINAL_TYPE (HogaQuote, hoga_quote, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_PRICE,
  PROP_CHANGE,
  PROP_CHANGE_BP,
  PROP_VOLUME,
  PROP_OPEN,
  PROP_HIGH,
  PROP_LOW,
  PROP_BEST_ASK,
  PROP_BEST_BID,
  PROP_BASE_PRICE,
  PROP_UPDATED_US,
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

static void
notify_changed (HogaQuote *self,
                guint32    changed)
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
hoga_quote_finalize (GObject *object)
{
  HogaQuote *self = HOGA_QUOTE (object);

  g_free (self->code);
  g_free (self->name);

  G_OBJECT_CLASS (hoga_quote_parent_class)->finalize (object);
}

static void
hoga_quote_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HogaQuote *self = HOGA_QUOTE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case PROP_CHANGE:
      g_value_set_int64 (value, self->change);
      break;
    case PROP_CHANGE_BP:
      g_value_set_int64 (value, self->change_bp);
      break;
    case PROP_VOLUME:
      g_value_set_int64 (value, self->volume);
      break;
    case PROP_OPEN:
      g_value_set_int64 (value, self->open);
      break;
    case PROP_HIGH:
      g_value_set_int64 (value, self->high);
      break;
    case PROP_LOW:
      g_value_set_int64 (value, self->low);
      break;
    case PROP_BEST_ASK:
      g_value_set_int64 (value, self->best_ask);
      break;
    case PROP_BEST_BID:
      g_value_set_int64 (value, self->best_bid);
      break;
    case PROP_BASE_PRICE:
      g_value_set_int64 (value, self->base_price);
      break;
    case PROP_UPDATED_US:
      g_value_set_int64 (value, self->updated_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_quote_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HogaQuote *self = HOGA_QUOTE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_NAME:
      hoga_quote_set_name (self, g_value_get_string (value));
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
hoga_quote_class_init (HogaQuoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_quote_finalize;
  object_class->get_property = hoga_quote_get_property;
  object_class->set_property = hoga_quote_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRICE] = int64_param ("price");
  properties[PROP_CHANGE] = int64_param ("change");
  properties[PROP_CHANGE_BP] = int64_param ("change-bp");
  properties[PROP_VOLUME] = int64_param ("volume");
  properties[PROP_OPEN] = int64_param ("open");
  properties[PROP_HIGH] = int64_param ("high");
  properties[PROP_LOW] = int64_param ("low");
  properties[PROP_BEST_ASK] = int64_param ("best-ask");
  properties[PROP_BEST_BID] = int64_param ("best-bid");
  properties[PROP_BASE_PRICE] = int64_param ("base-price");
  properties[PROP_UPDATED_US] = int64_param ("updated-us");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_quote_init (HogaQuote *self)
{
}

HogaQuote *
hoga_quote_new (const char *code,
                const char *name)
{
  g_return_val_if_fail (code != NULL && *code != '\0', NULL);

  return g_object_new (HOGA_TYPE_QUOTE,
                       "code", code,
                       "name", name,
                       NULL);
}

const char *
hoga_quote_get_code (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), NULL);

  return self->code;
}

const char *
hoga_quote_get_name (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), NULL);

  return self->name;
}

void
hoga_quote_set_name (HogaQuote  *self,
                     const char *name)
{
  g_return_if_fail (HOGA_IS_QUOTE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gint64
hoga_quote_get_price (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->price;
}

gint64
hoga_quote_get_change (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->change;
}

gint64
hoga_quote_get_change_bp (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->change_bp;
}

gint64
hoga_quote_get_volume (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->volume;
}

gint64
hoga_quote_get_open (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->open;
}

gint64
hoga_quote_get_high (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->high;
}

gint64
hoga_quote_get_low (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->low;
}

gint64
hoga_quote_get_best_ask (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->best_ask;
}

gint64
hoga_quote_get_best_bid (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->best_bid;
}

gint64
hoga_quote_get_base_price (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->base_price;
}

gint64
hoga_quote_get_updated_us (HogaQuote *self)
{
  g_return_val_if_fail (HOGA_IS_QUOTE (self), 0);

  return self->updated_us;
}

/**
 * hoga_quote_apply_tick:
 * @self: a #HogaQuote
 * @tick: a 0B tick for this quote's code
 *
 * Takes every field of @tick and notifies the properties whose value changed, once each,
 * after all of them are written. Allocates nothing.
 */
void
hoga_quote_apply_tick (HogaQuote      *self,
                       const HogaTick *tick)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_QUOTE (self));
  g_return_if_fail (tick != NULL);

  update (&self->price, tick->price, PROP_PRICE, &changed);
  update (&self->change, tick->change, PROP_CHANGE, &changed);
  update (&self->change_bp, tick->change_bp, PROP_CHANGE_BP, &changed);
  update (&self->volume, tick->cum_volume, PROP_VOLUME, &changed);
  update (&self->open, tick->open, PROP_OPEN, &changed);
  update (&self->high, tick->high, PROP_HIGH, &changed);
  update (&self->low, tick->low, PROP_LOW, &changed);
  update (&self->best_ask, tick->best_ask, PROP_BEST_ASK, &changed);
  update (&self->best_bid, tick->best_bid, PROP_BEST_BID, &changed);
  /* FID 11 is the difference to the base price, so every tick carries the base price too:
   * it stays right across a day change without a ka10001 round trip. */
  if (tick->price > 0)
    update (&self->base_price, tick->price - tick->change, PROP_BASE_PRICE, &changed);
  update (&self->updated_us, tick->received_us, PROP_UPDATED_US, &changed);

  notify_changed (self, changed);
}

/**
 * hoga_quote_apply_stock_info:
 * @self: a #HogaQuote
 * @info: the ka10001 reply for this quote's code
 *
 * Seeds the quote before its first tick arrives. Leaves "updated-us" alone: a REST reply
 * is not a live price and must not make the quote look fresh.
 */
void
hoga_quote_apply_stock_info (HogaQuote           *self,
                             const HogaStockInfo *info)
{
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_QUOTE (self));
  g_return_if_fail (info != NULL);

  if (info->name[0] != '\0')
    hoga_quote_set_name (self, info->name);

  update (&self->price, info->price, PROP_PRICE, &changed);
  update (&self->change, info->change, PROP_CHANGE, &changed);
  update (&self->change_bp, info->change_bp, PROP_CHANGE_BP, &changed);
  update (&self->volume, info->volume, PROP_VOLUME, &changed);
  update (&self->open, info->open, PROP_OPEN, &changed);
  update (&self->high, info->high, PROP_HIGH, &changed);
  update (&self->low, info->low, PROP_LOW, &changed);
  update (&self->base_price, info->base_price, PROP_BASE_PRICE, &changed);

  notify_changed (self, changed);
}
