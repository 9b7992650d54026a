/* hoga-tracking-table.c — the tracking frame: the positions the engine protects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-position.h"
#include "hoga-table-helper.h"
#include "hoga-tracking-table.h"

struct _HogaTrackingTable
{
  GtkWidget        parent_instance;

  GtkWidget       *overlay;
  GtkColumnView   *column_view;
  GtkWidget       *placeholder;

  HogaTableHelper *helper;
};

G_DEFINE_FINAL_TYPE (HogaTrackingTable, hoga_tracking_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_COLUMN_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
state_label (int state)
{
  switch ((HogaPositionState) state)
    {
    case HOGA_POSITION_STATE_WAITING_FILL:
      return _("Waiting for Fill");
    case HOGA_POSITION_STATE_TRACKING:
      return _("Tracking");
    case HOGA_POSITION_STATE_SELLING:
      return _("Selling");
    case HOGA_POSITION_STATE_CLOSED:
      return _("Closed");
    default:
      return "";
    }
}

/* The enum's nick, as the journal writes it. */
static const char *
state_raw (int state)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (HOGA_TYPE_POSITION_STATE);
  GEnumValue *value = g_enum_get_value (G_ENUM_CLASS (klass), state);

  return value != NULL ? value->value_nick : "";
}

static const char *
exit_reason_label (int reason)
{
  switch ((HogaExitReason) reason)
    {
    case HOGA_EXIT_REASON_STOP_LOSS:
      return _("Stop Loss");
    case HOGA_EXIT_REASON_TRAILING_STOP:
      return _("Trailing Stop");
    case HOGA_EXIT_REASON_TAKE_PROFIT:
      return _("Take Profit");
    case HOGA_EXIT_REASON_SELL_CONDITION:
      return _("Sell Condition");
    case HOGA_EXIT_REASON_END_OF_DAY:
      return _("End of Day");
    case HOGA_EXIT_REASON_NONE:
    default:
      return "";
    }
}

static const char *
exit_reason_raw (int reason)
{
  return reason != HOGA_EXIT_REASON_NONE ? hoga_exit_reason_to_string ((HogaExitReason) reason) : "";
}

static const HogaTableColumn columns[] = {
  { "code", N_("Code"), "code", NULL, HOGA_COLUMN_TEXT, 72 },
  { "name", N_("Name"), "name", NULL, HOGA_COLUMN_TEXT, 150 },
  { "entered-at", N_("Entered"), "entered-at", NULL, HOGA_COLUMN_TIME, 80 },
  { "price", N_("Price"), "price", NULL, HOGA_COLUMN_PRICE, 90 },
  { "avg-cost", N_("Avg Cost"), "avg-cost", NULL, HOGA_COLUMN_PRICE, 90 },
  { "return", N_("Return"), "return-bp", NULL, HOGA_COLUMN_PERCENT, 90 },
  { "peak", N_("Peak"), "peak", NULL, HOGA_COLUMN_PRICE, 90 },
  { "stop", N_("Stop"), "stop", NULL, HOGA_COLUMN_PRICE, 90 },
  { "armed", N_("Armed"), "armed", NULL, HOGA_COLUMN_CHECK, 64 },
  { "state", N_("State"), "state", NULL, HOGA_COLUMN_CHOICE, 120,
    .label = state_label, .raw = state_raw },
  { "exit-reason", N_("Exit Reason"), "exit-reason", NULL, HOGA_COLUMN_CHOICE, 120,
    .label = exit_reason_label, .raw = exit_reason_raw },
};

static GMenuModel *
build_menu (GObject *item)
{
  const char *code = hoga_position_get_code (HOGA_POSITION (item));
  GMenu *menu = g_menu_new ();

  hoga_table_helper_menu_append (menu, _("Sell Now"), "trade.sell-now", g_variant_new_string (code));
  hoga_table_helper_menu_append (menu, _("Stop Tracking"), "trade.stop-tracking",
                                 g_variant_new_string (code));

  return G_MENU_MODEL (menu);
}

static void
hoga_tracking_table_dispose (GObject *object)
{
  HogaTrackingTable *self = HOGA_TRACKING_TABLE (object);

  g_clear_pointer (&self->helper, hoga_table_helper_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_TRACKING_TABLE);

  G_OBJECT_CLASS (hoga_tracking_table_parent_class)->dispose (object);
}

static void
hoga_tracking_table_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HogaTrackingTable *self = HOGA_TRACKING_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, hoga_tracking_table_get_model (self));
      break;

    case PROP_COLUMN_STATE:
      g_value_set_string (value, hoga_tracking_table_get_column_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_tracking_table_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HogaTrackingTable *self = HOGA_TRACKING_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      hoga_tracking_table_set_model (self, g_value_get_object (value));
      break;

    case PROP_COLUMN_STATE:
      hoga_tracking_table_set_column_state (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_tracking_table_class_init (HogaTrackingTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_tracking_table_dispose;
  object_class->get_property = hoga_tracking_table_get_property;
  object_class->set_property = hoga_tracking_table_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLUMN_STATE] =
    g_param_spec_string ("column-state", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hoga/Hoga/hoga-tracking-table.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaTrackingTable, overlay);
  gtk_widget_class_bind_template_child (widget_class, HogaTrackingTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, HogaTrackingTable, placeholder);
  hoga_table_helper_setup_class (widget_class);
}

static void
hoga_tracking_table_init (HogaTrackingTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tracking"),
                                  -1);
  self->helper = hoga_table_helper_new (GTK_WIDGET (self), self->column_view, self->placeholder,
                                        HOGA_TYPE_POSITION, columns, G_N_ELEMENTS (columns),
                                        build_menu, properties[PROP_COLUMN_STATE]);
}

GtkWidget *
hoga_tracking_table_new (void)
{
  return g_object_new (HOGA_TYPE_TRACKING_TABLE, NULL);
}

/**
 * hoga_tracking_table_get_model:
 * @self: a #HogaTrackingTable
 *
 * Returns: (transfer none) (nullable): the positions shown
 */
GListModel *
hoga_tracking_table_get_model (HogaTrackingTable *self)
{
  g_return_val_if_fail (HOGA_IS_TRACKING_TABLE (self), NULL);
  return hoga_table_helper_get_model (self->helper);
}

/**
 * hoga_tracking_table_set_model:
 * @self: a #HogaTrackingTable
 * @model: (nullable): a #GListModel of #HogaPosition
 */
void
hoga_tracking_table_set_model (HogaTrackingTable *self,
                               GListModel        *model)
{
  g_return_if_fail (HOGA_IS_TRACKING_TABLE (self));

  if (hoga_table_helper_set_model (self->helper, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * hoga_tracking_table_get_column_state:
 * @self: a #HogaTrackingTable
 *
 * Returns: the column layout: "id:width" entries in display order, comma separated, a
 *   hidden column's id after a "-"; "" while it is the default
 */
const char *
hoga_tracking_table_get_column_state (HogaTrackingTable *self)
{
  g_return_val_if_fail (HOGA_IS_TRACKING_TABLE (self), NULL);
  return hoga_table_helper_get_column_state (self->helper);
}

/**
 * hoga_tracking_table_set_column_state:
 * @self: a #HogaTrackingTable
 * @column_state: (nullable): a layout from hoga_tracking_table_get_column_state(), or ""
 *
 * Unknown column ids are ignored; a malformed layout gives the default and a warning.
 */
void
hoga_tracking_table_set_column_state (HogaTrackingTable *self,
                                      const char        *column_state)
{
  g_return_if_fail (HOGA_IS_TRACKING_TABLE (self));
  hoga_table_helper_set_column_state (self->helper, column_state);
}

/**
 * hoga_tracking_table_to_csv:
 * @self: a #HogaTrackingTable
 *
 * Returns: (transfer full): the visible columns and rows, as shown, in RFC 4180 CSV with
 *   raw values (KRW as integers, percentages as 1.25)
 */
char *
hoga_tracking_table_to_csv (HogaTrackingTable *self)
{
  g_return_val_if_fail (HOGA_IS_TRACKING_TABLE (self), NULL);
  return hoga_table_helper_to_csv (self->helper);
}
