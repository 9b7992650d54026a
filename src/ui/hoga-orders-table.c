/* hoga-orders-table.c — the orders frame: today's orders and their states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-format.h"
#include "hoga-order.h"
#include "hoga-orders-table.h"
#include "hoga-table-helper.h"

struct _HogaOrdersTable
{
  GtkWidget        parent_instance;

  GtkWidget       *overlay;
  GtkColumnView   *column_view;
  GtkWidget       *placeholder;

  HogaTableHelper *helper;
};

G_DEFINE_FINAL_TYPE (HogaOrdersTable, hoga_orders_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_COLUMN_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
side_label (int side)
{
  switch ((HogaSide) side)
    {
    case HOGA_SIDE_BUY:
      return _("Buy");
    case HOGA_SIDE_SELL:
      return _("Sell");
    case HOGA_SIDE_NONE:
    default:
      return "";
    }
}

static const char *
side_raw (int side)
{
  return side == HOGA_SIDE_BUY ? "buy" : side == HOGA_SIDE_SELL ? "sell" : "";
}

/* Korean convention: buying in red, selling in blue. */
static const char *
side_style (int side)
{
  return side == HOGA_SIDE_BUY ? "hoga-up" : side == HOGA_SIDE_SELL ? "hoga-down" : NULL;
}

/* A modify or a cancel is an order of its own: say so rather than "Limit". */
static void
type_update (GtkLabel *label,
             GObject  *item)
{
  HogaOrder *order = HOGA_ORDER (item);

  switch (hoga_order_get_kind (order))
    {
    case HOGA_ORDER_KIND_CANCEL:
      gtk_label_set_text (label, _("Cancel"));
      break;
    case HOGA_ORDER_KIND_MODIFY:
      gtk_label_set_text (label, _("Modify"));
      break;
    case HOGA_ORDER_KIND_NEW:
    default:
      gtk_label_set_text (label, hoga_order_get_order_type (order) == HOGA_ORDER_TYPE_MARKET
                                 ? _("Market") : _("Limit"));
      break;
    }
}

static char *
type_to_csv (GObject *item)
{
  HogaOrder *order = HOGA_ORDER (item);

  switch (hoga_order_get_kind (order))
    {
    case HOGA_ORDER_KIND_CANCEL:
      return g_strdup ("cancel");
    case HOGA_ORDER_KIND_MODIFY:
      return g_strdup ("modify");
    case HOGA_ORDER_KIND_NEW:
    default:
      return g_strdup (hoga_order_get_order_type (order) == HOGA_ORDER_TYPE_MARKET ? "market" : "limit");
    }
}

static void
price_update (GtkLabel *label,
              GObject  *item)
{
  HogaOrder *order = HOGA_ORDER (item);
  gint64 price = hoga_order_get_price (order);
  char buf[HOGA_FORMAT_SIZE];

  if (hoga_order_get_order_type (order) == HOGA_ORDER_TYPE_MARKET &&
      hoga_order_get_kind (order) != HOGA_ORDER_KIND_CANCEL)
    gtk_label_set_text (label, _("Market"));
  else
    gtk_label_set_text (label, price != 0 ? hoga_format_krw (buf, price) : "");
}

static char *
price_to_csv (GObject *item)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, hoga_order_get_price (HOGA_ORDER (item)));
}

static const char *
state_label (int state)
{
  switch ((HogaOrderState) state)
    {
    case HOGA_ORDER_STATE_PENDING:
      return _("Pending");
    case HOGA_ORDER_STATE_SENT:
      return _("Sent");
    case HOGA_ORDER_STATE_ACCEPTED:
      return _("Accepted");
    case HOGA_ORDER_STATE_PARTIAL:
      return _("Partially Filled");
    case HOGA_ORDER_STATE_FILLED:
      return _("Filled");
    case HOGA_ORDER_STATE_CANCELLED:
      return _("Cancelled");
    case HOGA_ORDER_STATE_REJECTED:
      return _("Rejected");
    case HOGA_ORDER_STATE_UNKNOWN:
      return _("Unknown");
    default:
      return "";
    }
}

static const char *
state_raw (int state)
{
  return hoga_order_state_to_string ((HogaOrderState) state);
}

/* The engine's reason ids (hoga-engine.c, hoga_exit_reason_to_string()) in words; an id
 * this table does not know is shown as it is rather than hidden. */
static const char *
reason_label (const char *reason)
{
  static const struct {
    const char *id;
    const char *label;
  } labels[] = {
    { "buy-condition", N_("Buy condition") },
    { "manual", N_("Manual") },
    { "kill-switch", N_("Kill switch") },
    { "stop-loss", N_("Stop-loss") },
    { "trailing-stop", N_("Trailing stop") },
    { "take-profit", N_("Take-profit") },
    { "sell-condition", N_("Sell condition") },
    { "end-of-day", N_("End of day") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (reason, labels[i].id) == 0)
      return _(labels[i].label);
  return reason;
}

/* The reason it was placed; the broker's error, when there is one, as the tooltip. */
static void
reason_update (GtkLabel *label,
               GObject  *item)
{
  HogaOrder *order = HOGA_ORDER (item);
  const char *error = hoga_order_get_error (order);

  gtk_label_set_text (label, reason_label (hoga_order_get_reason (order)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), error[0] != '\0' ? error : NULL);
}

static char *
reason_to_csv (GObject *item)
{
  return g_strdup (hoga_order_get_reason (HOGA_ORDER (item)));
}

static const HogaTableColumn columns[] = {
  { "time", N_("Time"), "created-at", NULL, HOGA_COLUMN_TIME, 80 },
  { "ord-no", N_("Order No."), "ord-no", NULL, HOGA_COLUMN_TEXT, 90 },
  { "code", N_("Code"), "code", NULL, HOGA_COLUMN_TEXT, 72 },
  { "name", N_("Name"), "name", NULL, HOGA_COLUMN_TEXT, 150 },
  { "side", N_("Side"), "side", NULL, HOGA_COLUMN_CHOICE, 60,
    .label = side_label, .raw = side_raw, .style = side_style },
  { "type", N_("Type"), "order-type", "kind", HOGA_COLUMN_CUSTOM, 72,
    .update = type_update, .to_csv = type_to_csv },
  { "qty", N_("Quantity"), "qty", NULL, HOGA_COLUMN_NUMBER, 80 },
  { "price", N_("Price"), "price", "order-type", HOGA_COLUMN_CUSTOM, 90, .numeric = TRUE,
    .update = price_update, .to_csv = price_to_csv },
  { "filled-qty", N_("Filled"), "filled-qty", NULL, HOGA_COLUMN_NUMBER, 80 },
  { "fill-price", N_("Fill Price"), "avg-fill-price", NULL, HOGA_COLUMN_PRICE, 90 },
  { "state", N_("State"), "state", NULL, HOGA_COLUMN_CHOICE, 110,
    .label = state_label, .raw = state_raw },
  { "reason", N_("Reason"), "reason", "error", HOGA_COLUMN_CUSTOM, 160,
    .update = reason_update, .to_csv = reason_to_csv },
};

/* Only a working order can be cancelled, and a cancel request itself cannot. */
static GMenuModel *
build_menu (GObject *item)
{
  HogaOrder *order = HOGA_ORDER (item);
  GMenu *menu = g_menu_new ();

  switch (hoga_order_get_state (order))
    {
    case HOGA_ORDER_STATE_SENT:
    case HOGA_ORDER_STATE_ACCEPTED:
    case HOGA_ORDER_STATE_PARTIAL:
      if (hoga_order_get_kind (order) != HOGA_ORDER_KIND_CANCEL)
        hoga_table_helper_menu_append (menu, _("Cancel Order"), "order.cancel",
                                       g_variant_new_int64 (hoga_order_get_id (order)));
      break;
    case HOGA_ORDER_STATE_PENDING:
    case HOGA_ORDER_STATE_FILLED:
    case HOGA_ORDER_STATE_CANCELLED:
    case HOGA_ORDER_STATE_REJECTED:
    case HOGA_ORDER_STATE_UNKNOWN:
    default:
      break;
    }

  return G_MENU_MODEL (menu);
}

static void
hoga_orders_table_dispose (GObject *object)
{
  HogaOrdersTable *self = HOGA_ORDERS_TABLE (object);

  g_clear_pointer (&self->helper, hoga_table_helper_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_ORDERS_TABLE);

  G_OBJECT_CLASS (hoga_orders_table_parent_class)->dispose (object);
}

static void
hoga_orders_table_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HogaOrdersTable *self = HOGA_ORDERS_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, hoga_orders_table_get_model (self));
      break;

    case PROP_COLUMN_STATE:
      g_value_set_string (value, hoga_orders_table_get_column_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_orders_table_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HogaOrdersTable *self = HOGA_ORDERS_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      hoga_orders_table_set_model (self, g_value_get_object (value));
      break;

    case PROP_COLUMN_STATE:
      hoga_orders_table_set_column_state (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_orders_table_class_init (HogaOrdersTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_orders_table_dispose;
  object_class->get_property = hoga_orders_table_get_property;
  object_class->set_property = hoga_orders_table_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLUMN_STATE] =
    g_param_spec_string ("column-state", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hoga/Hoga/hoga-orders-table.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaOrdersTable, overlay);
  gtk_widget_class_bind_template_child (widget_class, HogaOrdersTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, HogaOrdersTable, placeholder);
  hoga_table_helper_setup_class (widget_class);
}

static void
hoga_orders_table_init (HogaOrdersTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Orders"),
                                  -1);
  self->helper = hoga_table_helper_new (GTK_WIDGET (self), self->column_view, self->placeholder,
                                        HOGA_TYPE_ORDER, columns, G_N_ELEMENTS (columns),
                                        build_menu, properties[PROP_COLUMN_STATE]);
}

GtkWidget *
hoga_orders_table_new (void)
{
  return g_object_new (HOGA_TYPE_ORDERS_TABLE, NULL);
}

/**
 * hoga_orders_table_get_model:
 * @self: a #HogaOrdersTable
 *
 * Returns: (transfer none) (nullable): the orders shown
 */
GListModel *
hoga_orders_table_get_model (HogaOrdersTable *self)
{
  g_return_val_if_fail (HOGA_IS_ORDERS_TABLE (self), NULL);
  return hoga_table_helper_get_model (self->helper);
}

/**
 * hoga_orders_table_set_model:
 * @self: a #HogaOrdersTable
 * @model: (nullable): a #GListModel of #HogaOrder
 */
void
hoga_orders_table_set_model (HogaOrdersTable *self,
                             GListModel      *model)
{
  g_return_if_fail (HOGA_IS_ORDERS_TABLE (self));

  if (hoga_table_helper_set_model (self->helper, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * hoga_orders_table_get_column_state:
 * @self: a #HogaOrdersTable
 *
 * Returns: the column layout: "id:width" entries in display order, comma separated, a
 *   hidden column's id after a "-"; "" while it is the default
 */
const char *
hoga_orders_table_get_column_state (HogaOrdersTable *self)
{
  g_return_val_if_fail (HOGA_IS_ORDERS_TABLE (self), NULL);
  return hoga_table_helper_get_column_state (self->helper);
}

/**
 * hoga_orders_table_set_column_state:
 * @self: a #HogaOrdersTable
 * @column_state: (nullable): a layout from hoga_orders_table_get_column_state(), or ""
 *
 * Unknown column ids are ignored; a malformed layout gives the default and a warning.
 */
void
hoga_orders_table_set_column_state (HogaOrdersTable *self,
                                    const char      *column_state)
{
  g_return_if_fail (HOGA_IS_ORDERS_TABLE (self));
  hoga_table_helper_set_column_state (self->helper, column_state);
}

/**
 * hoga_orders_table_to_csv:
 * @self: a #HogaOrdersTable
 *
 * Returns: (transfer full): the visible columns and rows, as shown, in RFC 4180 CSV with
 *   raw values (KRW as integers, percentages as 1.25)
 */
char *
hoga_orders_table_to_csv (HogaOrdersTable *self)
{
  g_return_val_if_fail (HOGA_IS_ORDERS_TABLE (self), NULL);
  return hoga_table_helper_to_csv (self->helper);
}
