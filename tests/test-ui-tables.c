/* test-ui-tables.c — the account, tracking and orders tables over real core models:
 * formatting, sorting, live cells, colours, CSV, the column layout string and the row
 * context menus' actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "hoga-account-table.h"
#include "hoga-account.h"
#include "hoga-format.h"
#include "hoga-krx.h"
#include "hoga-order.h"
#include "hoga-orders-table.h"
#include "hoga-table-helper.h"
#include "hoga-tracker.h"
#include "hoga-tracking-table.h"
#include "hoga-ui.h"

#define MINUS "\342\210\222"

static gboolean have_display;

/* Shows @table in a window with "trade" and "order" action groups that log what they are
 * activated with, as "name parameter" strings. */
typedef struct {
  GtkWidget *window;
  GtkWidget *table;
  GPtrArray *activations;
} Fixture;

static void
action_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     GPtrArray     *activations)
{
  g_autofree char *text = g_variant_print (parameter, TRUE);

  g_ptr_array_add (activations, g_strdup_printf ("%s %s", g_action_get_name (G_ACTION (action)), text));
}

static GSimpleActionGroup *
logging_group (GPtrArray          *activations,
               const char * const *names,
               const GVariantType *parameter_type)
{
  GSimpleActionGroup *group = g_simple_action_group_new ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], parameter_type);

      g_signal_connect (action, "activate", G_CALLBACK (action_activated_cb), activations);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }

  return group;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done (@widget, @data) or five seconds pass. */
static gboolean
iterate_until (gboolean (*done) (GtkWidget *widget, gpointer data),
               GtkWidget *widget,
               gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (5, timeout_cb, &timed_out);

  while (!done (widget, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return !timed_out;
}

static gboolean
is_laid_out (GtkWidget *widget,
             gpointer   data)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0;
}

static void
fixture_set_up (Fixture   *fixture,
                GtkWidget *table)
{
  static const char * const trade_actions[] = { "sell-now", "adopt", "stop-tracking", NULL };
  static const char * const order_actions[] = { "cancel", NULL };
  g_autoptr(GSimpleActionGroup) trade = NULL;
  g_autoptr(GSimpleActionGroup) order = NULL;

  fixture->activations = g_ptr_array_new_with_free_func (g_free);
  fixture->table = table;
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 400);
  gtk_window_set_child (GTK_WINDOW (fixture->window), table);

  trade = logging_group (fixture->activations, trade_actions, G_VARIANT_TYPE_STRING);
  order = logging_group (fixture->activations, order_actions, G_VARIANT_TYPE_INT64);
  gtk_widget_insert_action_group (fixture->window, "trade", G_ACTION_GROUP (trade));
  gtk_widget_insert_action_group (fixture->window, "order", G_ACTION_GROUP (order));

  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (iterate_until (is_laid_out, table, NULL));
}

static void
fixture_tear_down (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (fixture->activations);
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_descendant (child, type)) != NULL)
        return found;
    }
  return NULL;
}

static GtkColumnView *
column_view_of (GtkWidget *table)
{
  GtkWidget *column_view = find_descendant (table, GTK_TYPE_COLUMN_VIEW);

  g_assert_nonnull (column_view);
  return GTK_COLUMN_VIEW (column_view);
}

/* The rows in display order. */
static GListModel *
rows_of (GtkWidget *table)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view_of (table));

  g_assert_true (GTK_IS_SINGLE_SELECTION (selection));
  return gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
}

static GtkColumnViewColumn *
column_titled (GtkWidget  *table,
               const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (column_view_of (table));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_assert_not_reached ();
}

static const char *
title_at (GtkWidget *table,
          guint      position)
{
  GListModel *columns = gtk_column_view_get_columns (column_view_of (table));
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, position);

  return gtk_column_view_column_get_title (column);
}

typedef struct {
  gpointer    item;
  const char *column_id;
} CellQuery;

static gboolean
has_cell (GtkWidget *table,
          gpointer   data)
{
  CellQuery *query = data;
  GtkLabel *label = hoga_table_helper_find_cell (table, query->item, query->column_id);

  return label != NULL && gtk_widget_get_width (GTK_WIDGET (label)) > 0;
}

/* The label of @column_id for @item, once the column view has bound and placed it. */
static GtkLabel *
cell (GtkWidget  *table,
      gpointer    item,
      const char *column_id)
{
  CellQuery query = { item, column_id };

  g_assert_true (iterate_until (has_cell, table, &query));
  return hoga_table_helper_find_cell (table, item, column_id);
}

static GtkWidget *
placeholder_of (GtkWidget  *table,
                const char *text)
{
  GtkWidget *overlay = find_descendant (table, GTK_TYPE_OVERLAY);

  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        return child;
    }
  g_assert_not_reached ();
}

static GtkWidget *
popover_of (GtkWidget *table)
{
  for (GtkWidget *child = gtk_widget_get_first_child (table);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_POPOVER_MENU (child))
        return child;
    }
  g_assert_not_reached ();
}

/* Opens the row context menu of @item as the Menu key does, and returns its items as
 * "Label action target" strings: none when no menu opened. */
static GStrv
open_context_menu (GtkWidget  *table,
                   GListModel *rows,
                   gpointer    item)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view_of (table)));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkWidget *popover;
  GMenuModel *menu;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      if (row == item)
        gtk_single_selection_set_selected (selection, i);
    }
  g_assert_true (gtk_single_selection_get_selected_item (selection) == item);

  popover = popover_of (table);
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_true (gtk_widget_activate_action (table, "menu.popup", NULL));
  if (!gtk_widget_get_visible (popover))
    return g_strv_builder_end (builder);

  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autofree char *target_text = NULL;
      g_autofree char *text = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      target_text = target != NULL ? g_variant_print (target, TRUE) : g_strdup ("-");
      text = g_strdup_printf ("%s %s %s", label, action, target_text);
      g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

/* Activates item @index of the open context menu as clicking it does: its action and
 * target, looked up from the menu. */
static void
activate_menu_item (GtkWidget *table,
                    int        index)
{
  GtkWidget *popover = popover_of (table);
  GMenuModel *menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_true (g_menu_model_get_item_attribute (menu, index, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  target = g_menu_model_get_item_attribute_value (menu, index, G_MENU_ATTRIBUTE_TARGET, NULL);
  g_assert_true (gtk_widget_activate_action_variant (popover, action, target));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static gint64
kst_us (int hour,
        int minute,
        int second)
{
  g_autoptr(GDateTime) time = g_date_time_new (hoga_krx_time_zone (), 2024, 5, 2, hour, minute, second);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

/* Formatting */

static void
test_format_krw (void)
{
  char buf[HOGA_FORMAT_SIZE];

  g_assert_cmpstr (hoga_format_krw (buf, 0), ==, "0");
  g_assert_cmpstr (hoga_format_krw (buf, 999), ==, "999");
  g_assert_cmpstr (hoga_format_krw (buf, 1000), ==, "1,000");
  g_assert_cmpstr (hoga_format_krw (buf, 1234500), ==, "1,234,500");
  g_assert_cmpstr (hoga_format_krw (buf, -4500), ==, MINUS "4,500");
  g_assert_cmpstr (hoga_format_krw (buf, G_MININT64), ==, MINUS "9,223,372,036,854,775,808");
  g_assert_cmpstr (hoga_format_signed_krw (buf, 12300), ==, "+12,300");
  g_assert_cmpstr (hoga_format_signed_krw (buf, -4500), ==, MINUS "4,500");
  g_assert_cmpstr (hoga_format_signed_krw (buf, 0), ==, "0");
  g_assert_cmpstr (hoga_format_signed_krw (buf, G_MAXINT64), ==, "+9,223,372,036,854,775,807");
}

static void
test_format_bp (void)
{
  char buf[HOGA_FORMAT_SIZE];

  g_assert_cmpstr (hoga_format_bp (buf, 125), ==, "+1.25 %");
  g_assert_cmpstr (hoga_format_bp (buf, -5), ==, MINUS "0.05 %");
  g_assert_cmpstr (hoga_format_bp (buf, 0), ==, "0.00 %");
  g_assert_cmpstr (hoga_format_bp (buf, 10000), ==, "+100.00 %");
  g_assert_cmpstr (hoga_format_bp (buf, -123456), ==, MINUS "1234.56 %");
  g_assert_cmpstr (hoga_format_bp (buf, G_MININT64), ==, MINUS "92233720368547758.08 %");
}

static void
test_format_time (void)
{
  char buf[HOGA_FORMAT_SIZE];
  g_autoptr(GDateTime) utc_evening = g_date_time_new_utc (2024, 5, 2, 15, 30, 0);

  g_assert_cmpstr (hoga_format_time (buf, kst_us (9, 5, 3) + 999999), ==, "09:05:03");
  g_assert_cmpstr (hoga_format_time (buf, kst_us (15, 30, 0)), ==, "15:30:00");
  /* 15:30 UTC is half past midnight the next day in Seoul. */
  g_assert_cmpstr (hoga_format_time (buf, g_date_time_to_unix (utc_evening) * G_USEC_PER_SEC),
                   ==, "00:30:00");
  g_assert_cmpstr (hoga_format_time (buf, -1), ==, "08:59:59");
}

static void
test_format_sign_class (void)
{
  g_autoptr(GtkWidget) label = NULL;

  g_assert_cmpstr (hoga_format_sign_class (1), ==, "hoga-up");
  g_assert_cmpstr (hoga_format_sign_class (-1), ==, "hoga-down");
  g_assert_null (hoga_format_sign_class (0));

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  label = g_object_ref_sink (gtk_label_new (NULL));
  hoga_format_set_sign_class (label, 5);
  g_assert_true (gtk_widget_has_css_class (label, "hoga-up"));
  g_assert_false (gtk_widget_has_css_class (label, "hoga-down"));
  hoga_format_set_sign_class (label, -5);
  g_assert_false (gtk_widget_has_css_class (label, "hoga-up"));
  g_assert_true (gtk_widget_has_css_class (label, "hoga-down"));
  hoga_format_set_sign_class (label, 0);
  g_assert_false (gtk_widget_has_css_class (label, "hoga-up"));
  g_assert_false (gtk_widget_has_css_class (label, "hoga-down"));
}

/* Account */

static void
add_holding (GArray     *holdings,
             const char *code,
             const char *name,
             gint64      qty,
             gint64      sellable_qty,
             gint64      avg_price,
             gint64      price)
{
  HogaHoldingInfo info = { 0, };

  g_strlcpy (info.code, code, sizeof info.code);
  g_strlcpy (info.name, name, sizeof info.name);
  info.qty = qty;
  info.sellable_qty = sellable_qty;
  info.avg_price = avg_price;
  info.price = price;
  g_array_append_val (holdings, info);
}

/* 005930: +10,000 (+2.00 %); 000660: −20,000 (−5.00 %); 035720: 0. */
static HogaAccount *
three_holdings (void)
{
  HogaAccount *account = hoga_account_new ();
  HogaBalance balance = { 0, };

  balance.holdings = g_array_new (FALSE, TRUE, sizeof (HogaHoldingInfo));
  add_holding (balance.holdings, "005930", "Samsung", 10, 10, 50000, 51000);
  add_holding (balance.holdings, "000660", "Foo, \"Bar\"", 4, 2, 100000, 95000);
  add_holding (balance.holdings, "035720", "Kakao", 1, 1, 40000, 40000);
  hoga_account_replace_holdings (account, &balance);
  g_array_unref (balance.holdings);

  return account;
}

static void
test_account_rows (void)
{
  g_autoptr(HogaAccount) account = NULL;
  Fixture fixture;
  GtkWidget *placeholder;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  placeholder = placeholder_of (fixture.table, "No holdings");
  g_assert_true (gtk_widget_get_visible (placeholder));
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (fixture.table)), ==, 0);

  account = three_holdings ();
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  g_assert_true (hoga_account_table_get_model (HOGA_ACCOUNT_TABLE (fixture.table)) == G_LIST_MODEL (account));
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (fixture.table)), ==, 3);
  g_assert_false (gtk_widget_get_visible (placeholder));

  hoga_account_replace_holdings (account, &(HogaBalance) { 0, });
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (fixture.table)), ==, 0);
  g_assert_true (gtk_widget_get_visible (placeholder));

  fixture_tear_down (&fixture);
}

static void
test_account_sort_by_pnl (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  GtkColumnViewColumn *pnl;
  GListModel *rows;
  Fixture fixture;
  gint64 expected_ascending[] = { -20000, 0, 10000 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  rows = rows_of (fixture.table);
  g_assert_true (GTK_IS_SORT_LIST_MODEL (rows));

  pnl = column_titled (fixture.table, "P&L");
  gtk_column_view_sort_by_column (column_view_of (fixture.table), pnl, GTK_SORT_ASCENDING);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(HogaHolding) holding = g_list_model_get_item (rows, i);

      g_assert_cmpint (hoga_holding_get_pnl (holding), ==, expected_ascending[i]);
    }

  gtk_column_view_sort_by_column (column_view_of (fixture.table), pnl, GTK_SORT_DESCENDING);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(HogaHolding) holding = g_list_model_get_item (rows, i);

      g_assert_cmpint (hoga_holding_get_pnl (holding), ==, expected_ascending[2 - i]);
    }

  /* The CSV follows the display order. */
  {
    g_autofree char *csv = hoga_account_table_to_csv (HOGA_ACCOUNT_TABLE (fixture.table));
    const char *samsung = strstr (csv, "005930");
    const char *kakao = strstr (csv, "035720");

    g_assert_true (samsung != NULL && kakao != NULL && samsung < kakao);
  }

  fixture_tear_down (&fixture);
}

static void
test_account_live_update (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  HogaHolding *samsung;
  GtkLabel *price;
  GtkLabel *pnl;
  GtkLabel *ret;
  GtkLabel *tracked;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  samsung = hoga_account_lookup (account, "005930");

  price = cell (fixture.table, samsung, "price");
  pnl = cell (fixture.table, samsung, "pnl");
  ret = cell (fixture.table, samsung, "return");
  tracked = cell (fixture.table, samsung, "tracked");
  g_assert_cmpstr (gtk_label_get_text (price), ==, "51,000");
  g_assert_cmpstr (gtk_label_get_text (pnl), ==, "+10,000");
  g_assert_cmpstr (gtk_label_get_text (ret), ==, "+2.00 %");
  g_assert_cmpstr (gtk_label_get_text (tracked), ==, "");

  /* A tick: the cells follow at once, without waiting for a frame. */
  hoga_holding_set_price (samsung, 49500);
  g_assert_cmpstr (gtk_label_get_text (price), ==, "49,500");
  g_assert_cmpstr (gtk_label_get_text (pnl), ==, MINUS "5,000");
  g_assert_cmpstr (gtk_label_get_text (ret), ==, MINUS "1.00 %");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pnl), "hoga-down"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (pnl), "hoga-up"));

  hoga_holding_set_tracked (samsung, TRUE);
  g_assert_cmpstr (gtk_label_get_text (tracked), ==, "\342\234\223");
  hoga_holding_set_tracked (samsung, FALSE);
  hoga_holding_set_external (samsung, TRUE);
  g_assert_cmpstr (gtk_label_get_text (tracked), ==, "External");

  fixture_tear_down (&fixture);

  /* Unbound: a change after the table is gone reaches no cell. */
  hoga_holding_set_price (samsung, 50000);
}

static void
test_account_colours (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  GtkLabel *up, *down, *flat, *price;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));

  up = cell (fixture.table, hoga_account_lookup (account, "005930"), "pnl");
  down = cell (fixture.table, hoga_account_lookup (account, "000660"), "pnl");
  flat = cell (fixture.table, hoga_account_lookup (account, "035720"), "pnl");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (up), "hoga-up"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (up), "hoga-down"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (down), "hoga-down"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (down), "hoga-up"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (flat), "hoga-up"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (flat), "hoga-down"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell (fixture.table, hoga_account_lookup (account, "000660"), "return")),
                                           "hoga-down"));

  /* Numbers right-aligned in tabular digits; text left-aligned. */
  price = cell (fixture.table, hoga_account_lookup (account, "005930"), "price");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (price), "numeric"));
  g_assert_cmpfloat (gtk_label_get_xalign (price), ==, 1.0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (cell (fixture.table, hoga_account_lookup (account, "005930"), "name")),
                                            "numeric"));

  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (column_view_of (fixture.table)), "data-table"));
  gtk_test_accessible_assert_property (column_view_of (fixture.table), GTK_ACCESSIBLE_PROPERTY_LABEL, "Account");

  fixture_tear_down (&fixture);
}

static void
test_account_csv (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  g_autofree char *csv = NULL;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  hoga_holding_set_tracked (hoga_account_lookup (account, "005930"), TRUE);
  hoga_holding_set_external (hoga_account_lookup (account, "035720"), TRUE);

  csv = hoga_account_table_to_csv (HOGA_ACCOUNT_TABLE (fixture.table));
  g_assert_cmpstr (csv, ==,
                   "Code,Name,Price,Avg Cost,Quantity,Sellable,P&L,Return,Tracked\r\n"
                   "005930,Samsung,51000,50000,10,10,10000,2.00,tracked\r\n"
                   "000660,\"Foo, \"\"Bar\"\"\",95000,100000,4,2,-20000,-5.00,\r\n"
                   "035720,Kakao,40000,40000,1,1,0,0.00,external\r\n");

  /* Hidden columns are left out, moved ones follow the display. */
  hoga_account_table_set_column_state (HOGA_ACCOUNT_TABLE (fixture.table), "pnl:100,code:70,-name:150");
  g_clear_pointer (&csv, g_free);
  csv = hoga_account_table_to_csv (HOGA_ACCOUNT_TABLE (fixture.table));
  g_assert_true (g_str_has_prefix (csv,
                                   "P&L,Code,Price,Avg Cost,Quantity,Sellable,Return,Tracked\r\n"
                                   "10000,005930,51000,50000,10,10,2.00,tracked\r\n"));

  fixture_tear_down (&fixture);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n_notifies)
{
  (*n_notifies)++;
}

static void
test_account_column_state (void)
{
  const char *layout = "name:200,code:80,-price:90,pnl:120,avg-cost:90,qty:80,sellable:80,return:90,tracked:80";
  HogaAccountTable *table;
  GtkColumnView *column_view;
  GtkColumnViewColumn *column;
  Fixture fixture;
  guint n_notifies = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  table = HOGA_ACCOUNT_TABLE (fixture.table);
  column_view = column_view_of (fixture.table);
  g_signal_connect (table, "notify::column-state", G_CALLBACK (count_notify_cb), &n_notifies);
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==, "");
  g_assert_cmpstr (title_at (fixture.table, 0), ==, "Code");

  /* Round trip, applied to the columns. */
  hoga_account_table_set_column_state (table, layout);
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==, layout);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpstr (title_at (fixture.table, 0), ==, "Name");
  g_assert_cmpstr (title_at (fixture.table, 1), ==, "Code");
  g_assert_cmpstr (title_at (fixture.table, 3), ==, "P&L");
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (column_titled (fixture.table, "Name")), ==, 200);
  g_assert_false (gtk_column_view_column_get_visible (column_titled (fixture.table, "Price")));
  hoga_account_table_set_column_state (table, layout);
  g_assert_cmpuint (n_notifies, ==, 1);

  /* Through the property, as g_settings_bind() does. */
  g_object_set (table, "column-state", "code:72,name:150", NULL);
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==, "");
  g_assert_cmpuint (n_notifies, ==, 2);

  /* What the user does: resize, move, hide. */
  column = column_titled (fixture.table, "Quantity");
  gtk_column_view_column_set_fixed_width (column, 101);
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==,
                   "code:72,name:150,price:90,avg-cost:90,qty:101,sellable:80,pnl:110,return:90,tracked:80");
  g_assert_cmpuint (n_notifies, ==, 3);
  gtk_column_view_insert_column (column_view, 0, column_titled (fixture.table, "Return"));
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==,
                   "return:90,code:72,name:150,price:90,avg-cost:90,qty:101,sellable:80,pnl:110,tracked:80");
  g_assert_cmpuint (n_notifies, ==, 4);
  gtk_column_view_column_set_visible (column_titled (fixture.table, "Sellable"), FALSE);
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==,
                   "return:90,code:72,name:150,price:90,avg-cost:90,qty:101,-sellable:80,pnl:110,tracked:80");
  g_assert_cmpuint (n_notifies, ==, 5);

  /* Unknown ids are ignored; unnamed columns follow in their default order. */
  hoga_account_table_set_column_state (table, "bogus:40, pnl:100 ,code:72");
  g_assert_cmpstr (hoga_account_table_get_column_state (table), ==,
                   "pnl:100,code:72,name:150,price:90,avg-cost:90,qty:80,sellable:80,return:90,tracked:80");

  /* Malformed: the default, and a warning naming the string. */
  for (guint i = 0; i < 5; i++)
    {
      const char *malformed[] = { "code:wide", "code", "code:72,,name:150", "code:0", "code:72,code:80" };

      hoga_account_table_set_column_state (table, layout);
      g_test_expect_message ("hoga-ui", G_LOG_LEVEL_WARNING, "*malformed*");
      hoga_account_table_set_column_state (table, malformed[i]);
      g_test_assert_expected_messages ();
      g_assert_cmpstr (hoga_account_table_get_column_state (table), ==, "");
      g_assert_cmpstr (title_at (fixture.table, 0), ==, "Code");
      g_assert_true (gtk_column_view_column_get_visible (column_titled (fixture.table, "Price")));
    }

  /* The last visible column stays. */
  hoga_account_table_set_column_state (table,
                                       "-code:72,-name:150,-price:90,-avg-cost:90,-qty:80,-sellable:80,-pnl:110,-return:90,-tracked:80");
  g_assert_true (gtk_column_view_column_get_visible (column_titled (fixture.table, "Tracked")));

  fixture_tear_down (&fixture);
}

static void
test_account_context_menu (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  HogaHolding *samsung;
  g_auto(GStrv) items = NULL;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  samsung = hoga_account_lookup (account, "005930");
  cell (fixture.table, samsung, "code");

  items = open_context_menu (fixture.table, rows_of (fixture.table), samsung);
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[0], ==, "Sell Now trade.sell-now '005930'");
  g_assert_cmpstr (items[1], ==, "Adopt trade.adopt '005930'");
  activate_menu_item (fixture.table, 0);
  activate_menu_item (fixture.table, 1);
  g_clear_pointer (&items, g_strfreev);

  hoga_holding_set_tracked (samsung, TRUE);
  items = open_context_menu (fixture.table, rows_of (fixture.table), samsung);
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[1], ==, "Stop Tracking trade.stop-tracking '005930'");
  activate_menu_item (fixture.table, 1);

  g_assert_cmpuint (fixture.activations->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture.activations, 0), ==, "sell-now '005930'");
  g_assert_cmpstr (g_ptr_array_index (fixture.activations, 1), ==, "adopt '005930'");
  g_assert_cmpstr (g_ptr_array_index (fixture.activations, 2), ==, "stop-tracking '005930'");

  fixture_tear_down (&fixture);
}

static GtkGesture *
secondary_click_of (GtkWidget *table)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (table);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

/* A right click, as the gesture reports it, where the user would click. */
static void
test_account_right_click (void)
{
  g_autoptr(HogaAccount) account = three_holdings ();
  HogaHolding *hynix;
  graphene_rect_t bounds;
  GtkWidget *popover;
  GtkSingleSelection *selection;
  GMenuModel *menu;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_account_table_new ());
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (fixture.table), G_LIST_MODEL (account));
  hynix = hoga_account_lookup (account, "000660");
  popover = popover_of (fixture.table);
  selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (column_view_of (fixture.table)));

  cell (fixture.table, hynix, "name");

  /* Below the rows, and on the header: no row, no menu. */
  g_assert_cmpint (gtk_widget_get_height (fixture.table), >, 200);
  g_signal_emit_by_name (secondary_click_of (fixture.table), "pressed", 1,
                         20.0, (double) gtk_widget_get_height (fixture.table) - 5);
  g_assert_false (gtk_widget_get_visible (popover));
  g_signal_emit_by_name (secondary_click_of (fixture.table), "pressed", 1, 20.0, 5.0);
  g_assert_false (gtk_widget_get_visible (popover));

  /* On the second row's name: that row is selected and its menu opens. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (cell (fixture.table, hynix, "name")),
                                            fixture.table, &bounds));
  g_signal_emit_by_name (secondary_click_of (fixture.table), "pressed", 1,
                         (double) (bounds.origin.x + bounds.size.width / 2),
                         (double) (bounds.origin.y + bounds.size.height / 2));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer) hynix);
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (action, ==, "trade.sell-now");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "000660");

  fixture_tear_down (&fixture);
}

/* Tracking */

static HogaPosition *
add_position (HogaTracker *tracker,
              const char  *code,
              const char  *name,
              gint64       entered_at,
              gint64       avg_cost,
              gint64       price)
{
  g_autoptr(HogaPosition) position = hoga_position_new (code, name, entered_at);

  hoga_position_set_fill (position, avg_cost, 10);
  hoga_position_set_price (position, price);
  hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
  g_assert_true (hoga_tracker_add (tracker, position));

  return position;
}

static void
test_tracking_table (void)
{
  g_autoptr(HogaTracker) tracker = hoga_tracker_new ();
  HogaExitState exit_state = { .avg_cost = 10000, .entry_filled = TRUE, .peak = 10500, .stop = 10300, .armed = TRUE };
  HogaPosition *a, *b;
  GtkColumnViewColumn *ret;
  GtkLabel *label;
  GListModel *rows;
  g_autofree char *csv = NULL;
  g_auto(GStrv) items = NULL;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_tracking_table_new ());
  g_assert_true (gtk_widget_get_visible (placeholder_of (fixture.table, "No tracked positions")));
  gtk_test_accessible_assert_property (column_view_of (fixture.table), GTK_ACCESSIBLE_PROPERTY_LABEL, "Tracking");

  a = add_position (tracker, "005930", "Samsung", kst_us (9, 5, 3), 10000, 10400);
  b = add_position (tracker, "000660", "Hynix", kst_us (10, 0, 0), 20000, 19000);
  g_object_set (fixture.table, "model", tracker, NULL);
  rows = rows_of (fixture.table);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);

  /* Sorted by return: b (−5 %) before a (+4 %). */
  ret = column_titled (fixture.table, "Return");
  gtk_column_view_sort_by_column (column_view_of (fixture.table), ret, GTK_SORT_ASCENDING);
  {
    g_autoptr(HogaPosition) first = g_list_model_get_item (rows, 0);

    g_assert_true (first == b);
  }
  /* By state, an enum. */
  hoga_position_set_state (a, HOGA_POSITION_STATE_WAITING_FILL);
  gtk_column_view_sort_by_column (column_view_of (fixture.table), column_titled (fixture.table, "State"),
                                  GTK_SORT_ASCENDING);
  {
    g_autoptr(HogaPosition) first = g_list_model_get_item (rows, 0);

    g_assert_true (first == a);
  }
  hoga_position_set_state (a, HOGA_POSITION_STATE_TRACKING);

  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "entered-at")), ==, "09:05:03");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "return")), ==, "+4.00 %");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "peak")), ==, "");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "state")), ==, "Tracking");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cell (fixture.table, b, "return")), "hoga-down"));

  /* Live: the exit rules move peak and stop, a tick the price, the engine the state. */
  hoga_position_apply_exit_state (a, &exit_state);
  hoga_position_set_price (a, 10500);
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "peak")), ==, "10,500");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "stop")), ==, "10,300");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, a, "armed")), ==, "\342\234\223");
  label = cell (fixture.table, a, "return");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "+5.00 %");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "hoga-up"));
  hoga_position_set_state (b, HOGA_POSITION_STATE_CLOSED);
  hoga_position_set_exit_reason (b, HOGA_EXIT_REASON_STOP_LOSS);
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, b, "state")), ==, "Closed");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, b, "exit-reason")), ==, "Stop Loss");

  csv = hoga_tracking_table_to_csv (HOGA_TRACKING_TABLE (fixture.table));
  g_assert_cmpstr (csv, ==,
                   "Code,Name,Entered,Price,Avg Cost,Return,Peak,Stop,Armed,State,Exit Reason\r\n"
                   "005930,Samsung,2024-05-02T09:05:03+09:00,10500,10000,5.00,10500,10300,true,tracking,\r\n"
                   "000660,Hynix,2024-05-02T10:00:00+09:00,19000,20000,-5.00,0,0,false,closed,stop-loss\r\n");

  items = open_context_menu (fixture.table, rows, b);
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[0], ==, "Sell Now trade.sell-now '000660'");
  g_assert_cmpstr (items[1], ==, "Stop Tracking trade.stop-tracking '000660'");
  activate_menu_item (fixture.table, 0);
  g_assert_cmpuint (fixture.activations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture.activations, 0), ==, "sell-now '000660'");

  g_test_expect_message ("hoga-ui", G_LOG_LEVEL_WARNING, "*HogaTrackingTable*malformed*“return*");
  hoga_tracking_table_set_column_state (HOGA_TRACKING_TABLE (fixture.table), "return:-3");
  g_test_assert_expected_messages ();
  hoga_tracking_table_set_column_state (HOGA_TRACKING_TABLE (fixture.table), "-peak:90,stop:95");
  g_assert_cmpstr (hoga_tracking_table_get_column_state (HOGA_TRACKING_TABLE (fixture.table)), ==,
                   "-peak:90,stop:95,code:72,name:150,entered-at:80,price:90,avg-cost:90,return:90,armed:64,"
                   "state:120,exit-reason:120");

  fixture_tear_down (&fixture);
}

/* Orders */

static HogaOrder *
add_order (GListStore     *store,
           gint64          id,
           HogaSide        side,
           HogaOrderType   type,
           const char     *code,
           const char     *name,
           gint64          qty,
           gint64          price,
           HogaOrderState  state,
           gint64          created_at)
{
  HogaOrderRecord record = { 0, };
  g_autoptr(HogaOrder) order = NULL;

  record.id = id;
  record.side = side;
  record.type = type;
  g_strlcpy (record.code, code, sizeof record.code);
  record.qty = qty;
  record.price = price;
  record.state = state;
  record.created_at = created_at;
  g_snprintf (record.ord_no, sizeof record.ord_no, "%07" G_GINT64_FORMAT, 100 + id);
  g_strlcpy (record.reason, side == HOGA_SIDE_BUY ? "condition" : "stop-loss", sizeof record.reason);

  order = hoga_order_new (&record);
  hoga_order_set_name (order, name);
  g_list_store_append (store, order);

  return order;
}

static void
test_orders_table (void)
{
  g_autoptr(GListStore) store = g_list_store_new (HOGA_TYPE_ORDER);
  HogaOrder *buy, *sell, *rejected;
  HogaOrderRecord record;
  GtkLabel *label;
  GListModel *rows;
  g_autofree char *csv = NULL;
  g_auto(GStrv) items = NULL;
  Fixture fixture;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  fixture_set_up (&fixture, hoga_orders_table_new ());
  g_assert_true (gtk_widget_get_visible (placeholder_of (fixture.table, "No orders today")));
  gtk_test_accessible_assert_property (column_view_of (fixture.table), GTK_ACCESSIBLE_PROPERTY_LABEL, "Orders");

  buy = add_order (store, 1, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "005930", "Samsung", 10, 50000,
                   HOGA_ORDER_STATE_ACCEPTED, kst_us (9, 1, 0));
  sell = add_order (store, 2, HOGA_SIDE_SELL, HOGA_ORDER_TYPE_MARKET, "000660", "Hynix", 4, 0,
                    HOGA_ORDER_STATE_FILLED, kst_us (9, 2, 30));
  rejected = add_order (store, 3, HOGA_SIDE_BUY, HOGA_ORDER_TYPE_LIMIT, "035720", "Kakao", 1, 40000,
                        HOGA_ORDER_STATE_PENDING, kst_us (9, 3, 0));
  hoga_orders_table_set_model (HOGA_ORDERS_TABLE (fixture.table), G_LIST_MODEL (store));
  rows = rows_of (fixture.table);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_assert_false (gtk_widget_get_visible (placeholder_of (fixture.table, "No orders today")));

  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, sell, "price")), ==, "Market");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, buy, "price")), ==, "50,000");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, buy, "time")), ==, "09:01:00");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, sell, "type")), ==, "Market");
  label = cell (fixture.table, buy, "side");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Buy");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "hoga-up"));
  label = cell (fixture.table, sell, "side");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Sell");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "hoga-down"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), "hoga-up"));

  /* Live: a fill, then a rejection with the broker's text as the tooltip. */
  record = *hoga_order_get_record (sell);
  record.filled_qty = 4;
  record.filled_amount = 4 * 95000;
  hoga_order_set_record (sell, &record);
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, sell, "filled-qty")), ==, "4");
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, sell, "fill-price")), ==, "95,000");
  label = cell (fixture.table, rejected, "reason");
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (label)));
  record = *hoga_order_get_record (rejected);
  record.state = HOGA_ORDER_STATE_REJECTED;
  g_strlcpy (record.error, "Insufficient funds", sizeof record.error);
  hoga_order_set_record (rejected, &record);
  g_assert_cmpstr (gtk_label_get_text (cell (fixture.table, rejected, "state")), ==, "Rejected");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, "Insufficient funds");

  /* Sorted by quantity, descending. */
  gtk_column_view_sort_by_column (column_view_of (fixture.table), column_titled (fixture.table, "Quantity"),
                                  GTK_SORT_DESCENDING);
  {
    g_autoptr(HogaOrder) first = g_list_model_get_item (rows, 0);
    g_autoptr(HogaOrder) last = g_list_model_get_item (rows, 2);

    g_assert_true (first == buy);
    g_assert_true (last == rejected);
  }

  csv = hoga_orders_table_to_csv (HOGA_ORDERS_TABLE (fixture.table));
  g_assert_cmpstr (csv, ==,
                   "Time,Order No.,Code,Name,Side,Type,Quantity,Price,Filled,Fill Price,State,Reason\r\n"
                   "2024-05-02T09:01:00+09:00,0000101,005930,Samsung,buy,limit,10,50000,0,0,ACCEPTED,condition\r\n"
                   "2024-05-02T09:02:30+09:00,0000102,000660,Hynix,sell,market,4,0,4,95000,FILLED,stop-loss\r\n"
                   "2024-05-02T09:03:00+09:00,0000103,035720,Kakao,buy,limit,1,40000,0,0,REJECTED,condition\r\n");

  /* Cancel only while working, with the order's id. */
  items = open_context_menu (fixture.table, rows, buy);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_assert_cmpstr (items[0], ==, "Cancel Order order.cancel int64 1");
  activate_menu_item (fixture.table, 0);
  g_assert_cmpuint (fixture.activations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture.activations, 0), ==, "cancel int64 1");

  g_clear_pointer (&items, g_strfreev);
  items = open_context_menu (fixture.table, rows, sell);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
  g_assert_false (gtk_widget_get_visible (popover_of (fixture.table)));

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    hoga_ui_init ();

  g_test_add_func ("/ui/format/krw", test_format_krw);
  g_test_add_func ("/ui/format/bp", test_format_bp);
  g_test_add_func ("/ui/format/time-in-kst", test_format_time);
  g_test_add_func ("/ui/format/sign-class", test_format_sign_class);
  g_test_add_func ("/ui/tables/account/rows-and-placeholder", test_account_rows);
  g_test_add_func ("/ui/tables/account/sort-by-pnl", test_account_sort_by_pnl);
  g_test_add_func ("/ui/tables/account/live-update", test_account_live_update);
  g_test_add_func ("/ui/tables/account/colours-and-alignment", test_account_colours);
  g_test_add_func ("/ui/tables/account/csv", test_account_csv);
  g_test_add_func ("/ui/tables/account/column-state", test_account_column_state);
  g_test_add_func ("/ui/tables/account/context-menu", test_account_context_menu);
  g_test_add_func ("/ui/tables/account/right-click-on-row", test_account_right_click);
  g_test_add_func ("/ui/tables/tracking/cells-sort-csv-menu", test_tracking_table);
  g_test_add_func ("/ui/tables/orders/cells-sort-csv-menu", test_orders_table);

  return g_test_run ();
}
