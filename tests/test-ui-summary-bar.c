/* test-ui-summary-bar.c — the summary cards follow the account: figures, Korean colours,
 * accessible labels, today's buys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "hoga-account.h"
#include "hoga-summary-bar.h"
#include "hoga-ui.h"

static GtkWidget *
value_label (HogaSummaryBar *bar,
             const char     *name)
{
  GObject *label = gtk_widget_get_template_child (GTK_WIDGET (bar), HOGA_TYPE_SUMMARY_BAR, name);

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_WIDGET (label);
}

static void
assert_card (HogaSummaryBar *bar,
             const char     *name,
             const char     *text,
             const char     *sign_class)
{
  GtkWidget *label = value_label (bar, name);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, text);
  g_assert_cmpint (gtk_widget_has_css_class (label, "hoga-up"), ==,
                   g_strcmp0 (sign_class, "hoga-up") == 0);
  g_assert_cmpint (gtk_widget_has_css_class (label, "hoga-down"), ==,
                   g_strcmp0 (sign_class, "hoga-down") == 0);
  g_assert_true (gtk_widget_has_css_class (label, "numeric"));
}

static void
assert_accessible_label (HogaSummaryBar *bar,
                         const char     *name,
                         const char     *expected)
{
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (value_label (bar, name)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
}

static void
replace_holding (HogaAccount *account,
                 const char  *code,
                 gint64       qty,
                 gint64       avg_price,
                 gint64       price)
{
  g_autoptr(HogaBalance) balance = g_new0 (HogaBalance, 1);
  HogaHoldingInfo holding = { 0 };

  g_strlcpy (holding.code, code, sizeof holding.code);
  g_strlcpy (holding.name, "삼성전자", sizeof holding.name);
  holding.qty = qty;
  holding.sellable_qty = qty;
  holding.avg_price = avg_price;
  holding.price = price;
  holding.purchase_amount = avg_price * qty;

  balance->holdings = g_array_new (FALSE, TRUE, sizeof (HogaHoldingInfo));
  g_array_append_val (balance->holdings, holding);
  hoga_account_replace_holdings (account, balance);
}

static void
apply_tick (HogaAccount *account,
            const char  *code,
            gint64       price)
{
  HogaTick tick = { 0 };

  g_strlcpy (tick.code, code, sizeof tick.code);
  tick.price = price;
  g_assert_true (hoga_account_apply_tick (account, &tick));
}

static void
test_no_account (void)
{
  g_autoptr(HogaSummaryBar) bar = g_object_ref_sink (HOGA_SUMMARY_BAR (hoga_summary_bar_new ()));

  g_assert_null (hoga_summary_bar_get_account (bar));
  assert_card (bar, "cash_value", "—", NULL);
  assert_card (bar, "total_pnl_value", "—", NULL);
  assert_card (bar, "return_value", "—", NULL);
  assert_card (bar, "buys_value", "0", NULL);
  assert_accessible_label (bar, "cash_value", "Deposit: not available");
}

static void
test_follows_account (void)
{
  g_autoptr(HogaSummaryBar) bar = g_object_ref_sink (HOGA_SUMMARY_BAR (hoga_summary_bar_new ()));
  g_autoptr(HogaAccount) account = hoga_account_new ();
  HogaDeposit deposit = { .cash = 12345000, .orderable = 12000000 };

  hoga_summary_bar_set_account (bar, account);
  assert_card (bar, "cash_value", "0", NULL);
  assert_card (bar, "total_pnl_value", "0", NULL);
  assert_card (bar, "return_value", "0.00 %", NULL);

  hoga_account_set_deposit (account, &deposit);
  assert_card (bar, "cash_value", "12,345,000", NULL);
  assert_accessible_label (bar, "cash_value", "Deposit 12,345,000 won");

  /* Bought at the price: no gain yet. */
  replace_holding (account, "005930", 10, 70000, 70000);
  assert_card (bar, "total_purchase_value", "700,000", NULL);
  assert_card (bar, "total_eval_value", "700,000", NULL);
  assert_card (bar, "total_pnl_value", "0", NULL);
  assert_card (bar, "return_value", "0.00 %", NULL);
  assert_accessible_label (bar, "total_purchase_value", "Total cost 700,000 won");

  /* Up: red. 10,000 / 700,000 = 1.428… %, truncated to 142 bp. */
  apply_tick (account, "005930", 71000);
  assert_card (bar, "total_eval_value", "710,000", NULL);
  assert_card (bar, "total_pnl_value", "+10,000", "hoga-up");
  assert_card (bar, "return_value", "+1.42 %", "hoga-up");
  assert_accessible_label (bar, "total_pnl_value", "P&L +10,000 won");
  assert_accessible_label (bar, "return_value", "Return +1.42 %");

  /* Down: blue, and no red left behind. */
  apply_tick (account, "005930", 68000);
  assert_card (bar, "total_eval_value", "680,000", NULL);
  assert_card (bar, "total_pnl_value", "−20,000", "hoga-down");
  assert_card (bar, "return_value", "−2.85 %", "hoga-down");

  /* Back to even: neither colour. */
  apply_tick (account, "005930", 70000);
  assert_card (bar, "total_pnl_value", "0", NULL);
  assert_card (bar, "return_value", "0.00 %", NULL);

  /* Today's realized P&L, the engine's figure. */
  hoga_account_set_realized_today (account, 5000);
  assert_card (bar, "realized_value", "+5,000", "hoga-up");
  assert_accessible_label (bar, "realized_value", "Realized today +5,000 won");
  hoga_account_set_realized_today (account, -1200);
  assert_card (bar, "realized_value", "−1,200", "hoga-down");

  /* Another account, then none: the old one no longer drives the cards. */
  hoga_summary_bar_set_account (bar, NULL);
  assert_card (bar, "cash_value", "—", NULL);
  assert_card (bar, "realized_value", "—", NULL);
  apply_tick (account, "005930", 90000);
  assert_card (bar, "total_pnl_value", "—", NULL);
}

static void
test_buys_today (void)
{
  g_autoptr(HogaSummaryBar) bar = g_object_ref_sink (HOGA_SUMMARY_BAR (hoga_summary_bar_new ()));
  GtkWidget *buys = value_label (bar, "buys_value");

  g_object_set (bar, "buys-today", 3, NULL);
  g_assert_cmpuint (hoga_summary_bar_get_buys_today (bar), ==, 3);
  assert_card (bar, "buys_value", "3", NULL);
  assert_accessible_label (bar, "buys_value", "Buys today: 3");

  hoga_summary_bar_set_max_buys (bar, 20);
  assert_card (bar, "buys_value", "3 / 20", NULL);
  assert_accessible_label (bar, "buys_value", "Buys today: 3 of at most 20");
  g_assert_false (gtk_widget_has_css_class (buys, "warning"));

  hoga_summary_bar_set_buys_today (bar, 20);
  assert_card (bar, "buys_value", "20 / 20", NULL);
  g_assert_true (gtk_widget_has_css_class (buys, "warning"));

  hoga_summary_bar_set_max_buys (bar, 0);
  assert_card (bar, "buys_value", "20", NULL);
  g_assert_false (gtk_widget_has_css_class (buys, "warning"));
}

int
main (int   argc,
      char *argv[])
{
  /* The strings compared are the English sources. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  hoga_ui_init ();

  g_test_add_func ("/ui/summary-bar/no-account", test_no_account);
  g_test_add_func ("/ui/summary-bar/follows-account", test_follows_account);
  g_test_add_func ("/ui/summary-bar/buys-today", test_buys_today);

  return g_test_run ();
}
