/* hoga-order.c — one order of the book, a row of the orders frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object wraps the journal's record of the order, so the book changes it with one
 * assignment and the object notifies exactly the properties whose value moved.
 */
#define G_LOG_DOMAIN "hoga-orders"

#include "config.h"

#include <string.h>

#include "hoga-order.h"

struct _HogaOrder
{
  GObject         parent_instance;

  HogaOrderRecord record;
  char           *name;
};

G_DEFINE_FINAL_TYPE (HogaOrder, hoga_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED_AT,
  PROP_ORD_NO,
  PROP_ORIG_ORD_NO,
  PROP_ROOT_ORD_NO,
  PROP_CODE,
  PROP_NAME,
  PROP_SIDE,
  PROP_ORDER_TYPE,
  PROP_KIND,
  PROP_QTY,
  PROP_PRICE,
  PROP_FILLED_QTY,
  PROP_AVG_FILL_PRICE,
  PROP_STATE,
  PROP_REASON,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT (N_PROPS <= 32);

static gint64
avg_fill_price_of (const HogaOrderRecord *record)
{
  return record->filled_qty > 0 ? record->filled_amount / record->filled_qty : 0;
}

static void
hoga_order_finalize (GObject *object)
{
  HogaOrder *self = HOGA_ORDER (object);

  g_free (self->name);

  G_OBJECT_CLASS (hoga_order_parent_class)->finalize (object);
}

static void
hoga_order_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HogaOrder *self = HOGA_ORDER (object);
  const HogaOrderRecord *r = &self->record;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, r->id);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, r->created_at);
      break;
    case PROP_ORD_NO:
      g_value_set_string (value, r->ord_no);
      break;
    case PROP_ORIG_ORD_NO:
      g_value_set_string (value, r->orig_ord_no);
      break;
    case PROP_ROOT_ORD_NO:
      g_value_set_string (value, r->root_ord_no);
      break;
    case PROP_CODE:
      g_value_set_string (value, r->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SIDE:
      g_value_set_int (value, r->side);
      break;
    case PROP_ORDER_TYPE:
      g_value_set_int (value, r->type);
      break;
    case PROP_KIND:
      g_value_set_int (value, hoga_order_record_get_kind (r));
      break;
    case PROP_QTY:
      g_value_set_int64 (value, r->qty);
      break;
    case PROP_PRICE:
      g_value_set_int64 (value, r->price);
      break;
    case PROP_FILLED_QTY:
      g_value_set_int64 (value, r->filled_qty);
      break;
    case PROP_AVG_FILL_PRICE:
      g_value_set_int64 (value, avg_fill_price_of (r));
      break;
    case PROP_STATE:
      g_value_set_int (value, r->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, r->reason);
      break;
    case PROP_ERROR:
      g_value_set_string (value, r->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_param (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
int_param (const char *name,
           int         maximum)
{
  return g_param_spec_int (name, NULL, NULL, 0, maximum, 0,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
string_param (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
hoga_order_class_init (HogaOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_order_finalize;
  object_class->get_property = hoga_order_get_property;

  properties[PROP_ID] = int64_param ("id");
  properties[PROP_CREATED_AT] = int64_param ("created-at");
  properties[PROP_ORD_NO] = string_param ("ord-no");
  properties[PROP_ORIG_ORD_NO] = string_param ("orig-ord-no");
  properties[PROP_ROOT_ORD_NO] = string_param ("root-ord-no");
  properties[PROP_CODE] = string_param ("code");
  properties[PROP_NAME] = string_param ("name");
  properties[PROP_SIDE] = int_param ("side", HOGA_SIDE_BUY);
  properties[PROP_ORDER_TYPE] = int_param ("order-type", HOGA_ORDER_TYPE_MARKET);
  properties[PROP_KIND] = int_param ("kind", HOGA_ORDER_KIND_CANCEL);
  properties[PROP_QTY] = int64_param ("qty");
  properties[PROP_PRICE] = int64_param ("price");
  properties[PROP_FILLED_QTY] = int64_param ("filled-qty");
  properties[PROP_AVG_FILL_PRICE] = int64_param ("avg-fill-price");
  properties[PROP_STATE] = int_param ("state", HOGA_ORDER_STATE_UNKNOWN);
  properties[PROP_REASON] = string_param ("reason");
  properties[PROP_ERROR] = string_param ("error");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hoga_order_init (HogaOrder *self)
{
  self->name = g_strdup ("");
}

HogaOrder *
hoga_order_new (const HogaOrderRecord *record)
{
  HogaOrder *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (HOGA_TYPE_ORDER, NULL);
  self->record = *record;
  return self;
}

const HogaOrderRecord *
hoga_order_get_record (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return &self->record;
}

void
hoga_order_set_record (HogaOrder             *self,
                       const HogaOrderRecord *record)
{
  HogaOrderRecord old;
  guint32 changed = 0;

  g_return_if_fail (HOGA_IS_ORDER (self));
  g_return_if_fail (record != NULL && record->id == self->record.id);

  old = self->record;
  self->record = *record;

#define CHANGED_INT(field, prop) if (old.field != record->field) changed |= 1u << (prop)
#define CHANGED_STR(field, prop) if (strcmp (old.field, record->field) != 0) changed |= 1u << (prop)
  CHANGED_INT (created_at, PROP_CREATED_AT);
  CHANGED_STR (ord_no, PROP_ORD_NO);
  CHANGED_STR (orig_ord_no, PROP_ORIG_ORD_NO);
  CHANGED_STR (root_ord_no, PROP_ROOT_ORD_NO);
  CHANGED_STR (code, PROP_CODE);
  CHANGED_INT (side, PROP_SIDE);
  CHANGED_INT (type, PROP_ORDER_TYPE);
  CHANGED_INT (qty, PROP_QTY);
  CHANGED_INT (price, PROP_PRICE);
  CHANGED_INT (filled_qty, PROP_FILLED_QTY);
  CHANGED_INT (state, PROP_STATE);
  CHANGED_STR (reason, PROP_REASON);
  CHANGED_STR (error, PROP_ERROR);
#undef CHANGED_INT
#undef CHANGED_STR
  if (hoga_order_record_get_kind (&old) != hoga_order_record_get_kind (record))
    changed |= 1u << PROP_KIND;
  if (avg_fill_price_of (&old) != avg_fill_price_of (record))
    changed |= 1u << PROP_AVG_FILL_PRICE;

  if (changed == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop_id = PROP_0 + 1; prop_id < N_PROPS; prop_id++)
    {
      if (changed & (1u << prop_id))
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
hoga_order_get_id (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return self->record.id;
}

gint64
hoga_order_get_created_at (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return self->record.created_at;
}

const char *
hoga_order_get_ord_no (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.ord_no;
}

const char *
hoga_order_get_orig_ord_no (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.orig_ord_no;
}

const char *
hoga_order_get_root_ord_no (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.root_ord_no;
}

const char *
hoga_order_get_code (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.code;
}

const char *
hoga_order_get_name (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->name;
}

void
hoga_order_set_name (HogaOrder  *self,
                     const char *name)
{
  g_return_if_fail (HOGA_IS_ORDER (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

HogaSide
hoga_order_get_side (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), HOGA_SIDE_NONE);
  return self->record.side;
}

HogaOrderType
hoga_order_get_order_type (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), HOGA_ORDER_TYPE_LIMIT);
  return self->record.type;
}

HogaOrderKind
hoga_order_get_kind (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), HOGA_ORDER_KIND_NEW);
  return hoga_order_record_get_kind (&self->record);
}

gint64
hoga_order_get_qty (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return self->record.qty;
}

gint64
hoga_order_get_price (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return self->record.price;
}

gint64
hoga_order_get_filled_qty (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return self->record.filled_qty;
}

gint64
hoga_order_get_avg_fill_price (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), 0);
  return avg_fill_price_of (&self->record);
}

HogaOrderState
hoga_order_get_state (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), HOGA_ORDER_STATE_UNKNOWN);
  return self->record.state;
}

const char *
hoga_order_get_reason (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.reason;
}

const char *
hoga_order_get_error (HogaOrder *self)
{
  g_return_val_if_fail (HOGA_IS_ORDER (self), NULL);
  return self->record.error;
}

HogaOrderKind
hoga_order_record_get_kind (const HogaOrderRecord *record)
{
  g_return_val_if_fail (record != NULL, HOGA_ORDER_KIND_NEW);

  if (record->orig_ord_no[0] == '\0')
    return HOGA_ORDER_KIND_NEW;
  return record->price == 0 ? HOGA_ORDER_KIND_CANCEL : HOGA_ORDER_KIND_MODIFY;
}
