/* hoga-account-table.c — the account frame: the holdings of the account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-account-table.h"
#include "hoga-holding.h"
#include "hoga-table-helper.h"

struct _HogaAccountTable
{
  GtkWidget        parent_instance;

  GtkWidget       *overlay;
  GtkColumnView   *column_view;
  GtkWidget       *placeholder;

  HogaTableHelper *helper;
};

G_DEFINE_FINAL_TYPE (HogaAccountTable, hoga_account_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_COLUMN_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Tracked, or else bought outside Hoga: the engine will not sell it by itself. */
static void
tracked_update (GtkLabel *label,
                GObject  *item)
{
  HogaHolding *holding = HOGA_HOLDING (item);

  if (hoga_holding_get_tracked (holding))
    {
      gtk_label_set_text (label, HOGA_TABLE_CHECK_MARK);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), _("Tracked"));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else if (hoga_holding_get_external (holding))
    {
      gtk_label_set_text (label, _("External"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), _("Bought outside Hoga and not tracked"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_label_set_text (label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static char *
tracked_to_csv (GObject *item)
{
  HogaHolding *holding = HOGA_HOLDING (item);

  if (hoga_holding_get_tracked (holding))
    return g_strdup ("tracked");
  return g_strdup (hoga_holding_get_external (holding) ? "external" : "");
}

static const HogaTableColumn columns[] = {
  { "code", N_("Code"), "code", NULL, HOGA_COLUMN_TEXT, 72 },
  { "name", N_("Name"), "name", NULL, HOGA_COLUMN_TEXT, 150 },
  { "price", N_("Price"), "price", NULL, HOGA_COLUMN_PRICE, 90 },
  { "avg-cost", N_("Avg Cost"), "avg-price", NULL, HOGA_COLUMN_PRICE, 90 },
  { "qty", N_("Quantity"), "qty", NULL, HOGA_COLUMN_NUMBER, 80 },
  { "sellable", N_("Sellable"), "sellable-qty", NULL, HOGA_COLUMN_NUMBER, 80 },
  { "pnl", N_("P&L"), "pnl", NULL, HOGA_COLUMN_PNL, 110 },
  { "return", N_("Return"), "profit-bp", NULL, HOGA_COLUMN_PERCENT, 90 },
  { "tracked", N_("Tracked"), "tracked", "external", HOGA_COLUMN_CUSTOM, 80,
    .update = tracked_update, .to_csv = tracked_to_csv },
};

static GMenuModel *
build_menu (GObject *item)
{
  HogaHolding *holding = HOGA_HOLDING (item);
  const char *code = hoga_holding_get_code (holding);
  GMenu *menu = g_menu_new ();

  hoga_table_helper_menu_append (menu, _("Sell Now"), "trade.sell-now", g_variant_new_string (code));
  if (hoga_holding_get_tracked (holding))
    hoga_table_helper_menu_append (menu, _("Stop Tracking"), "trade.stop-tracking",
                                   g_variant_new_string (code));
  else
    hoga_table_helper_menu_append (menu, _("Adopt"), "trade.adopt", g_variant_new_string (code));

  return G_MENU_MODEL (menu);
}

static void
hoga_account_table_dispose (GObject *object)
{
  HogaAccountTable *self = HOGA_ACCOUNT_TABLE (object);

  g_clear_pointer (&self->helper, hoga_table_helper_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_ACCOUNT_TABLE);

  G_OBJECT_CLASS (hoga_account_table_parent_class)->dispose (object);
}

static void
hoga_account_table_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HogaAccountTable *self = HOGA_ACCOUNT_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, hoga_account_table_get_model (self));
      break;

    case PROP_COLUMN_STATE:
      g_value_set_string (value, hoga_account_table_get_column_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_account_table_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HogaAccountTable *self = HOGA_ACCOUNT_TABLE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      hoga_account_table_set_model (self, g_value_get_object (value));
      break;

    case PROP_COLUMN_STATE:
      hoga_account_table_set_column_state (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_account_table_class_init (HogaAccountTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_account_table_dispose;
  object_class->get_property = hoga_account_table_get_property;
  object_class->set_property = hoga_account_table_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLUMN_STATE] =
    g_param_spec_string ("column-state", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hoga/Hoga/hoga-account-table.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaAccountTable, overlay);
  gtk_widget_class_bind_template_child (widget_class, HogaAccountTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, HogaAccountTable, placeholder);
  hoga_table_helper_setup_class (widget_class);
}

static void
hoga_account_table_init (HogaAccountTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Account"),
                                  -1);
  self->helper = hoga_table_helper_new (GTK_WIDGET (self), self->column_view, self->placeholder,
                                        HOGA_TYPE_HOLDING, columns, G_N_ELEMENTS (columns),
                                        build_menu, properties[PROP_COLUMN_STATE]);
}

GtkWidget *
hoga_account_table_new (void)
{
  return g_object_new (HOGA_TYPE_ACCOUNT_TABLE, NULL);
}

/**
 * hoga_account_table_get_model:
 * @self: a #HogaAccountTable
 *
 * Returns: (transfer none) (nullable): the holdings shown
 */
GListModel *
hoga_account_table_get_model (HogaAccountTable *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT_TABLE (self), NULL);
  return hoga_table_helper_get_model (self->helper);
}

/**
 * hoga_account_table_set_model:
 * @self: a #HogaAccountTable
 * @model: (nullable): a #GListModel of #HogaHolding
 */
void
hoga_account_table_set_model (HogaAccountTable *self,
                              GListModel       *model)
{
  g_return_if_fail (HOGA_IS_ACCOUNT_TABLE (self));

  if (hoga_table_helper_set_model (self->helper, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * hoga_account_table_get_column_state:
 * @self: a #HogaAccountTable
 *
 * Returns: the column layout: "id:width" entries in display order, comma separated, a
 *   hidden column's id after a "-"; "" while it is the default
 */
const char *
hoga_account_table_get_column_state (HogaAccountTable *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT_TABLE (self), NULL);
  return hoga_table_helper_get_column_state (self->helper);
}

/**
 * hoga_account_table_set_column_state:
 * @self: a #HogaAccountTable
 * @column_state: (nullable): a layout from hoga_account_table_get_column_state(), or ""
 *
 * Unknown column ids are ignored; a malformed layout gives the default and a warning.
 */
void
hoga_account_table_set_column_state (HogaAccountTable *self,
                                     const char       *column_state)
{
  g_return_if_fail (HOGA_IS_ACCOUNT_TABLE (self));
  hoga_table_helper_set_column_state (self->helper, column_state);
}

/**
 * hoga_account_table_to_csv:
 * @self: a #HogaAccountTable
 *
 * Returns: (transfer full): the visible columns and rows, as shown, in RFC 4180 CSV with
 *   raw values (KRW as integers, percentages as 1.25)
 */
char *
hoga_account_table_to_csv (HogaAccountTable *self)
{
  g_return_val_if_fail (HOGA_IS_ACCOUNT_TABLE (self), NULL);
  return hoga_table_helper_to_csv (self->helper);
}
