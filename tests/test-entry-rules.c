/* test-entry-rules.c — entry rules: every skip reason and its order, quantity sizing, limit
 * prices on the tick grid inside the daily limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hoga-entry-rules.h"
#include "hoga-krx.h"

/* A realtime I event on the buy condition that passes every rule. */
static void
setup_buyable (HogaEntrySettings *settings,
               HogaEntryContext  *context)
{
  *settings = (HogaEntrySettings) {
    .auto_buy = TRUE,
    .window_start_hhmmss = 90000,
    .window_end_hhmmss = 152000,
    .max_positions = 5,
    .amount_per_stock = 1000000,
    .order_type = HOGA_ORDER_TYPE_MARKET,
    .limit_offset_ticks = 0,
    .allow_reentry = FALSE,
    .buy_snapshot_members = FALSE,
    .cooldown_s = 60,
  };
  *context = (HogaEntryContext) {
    .on_buy_condition = TRUE,
    .inserted = TRUE,
    .from_snapshot = FALSE,
    .now_hhmmss = 100000,
    .tracked_count = 2,
    .held = FALSE,
    .tracked = FALSE,
    .buy_pending = FALSE,
    .bought_today = FALSE,
    .cooldown_elapsed_s = -1,
    .registration_capacity = 10,
    .current_price = 75000,
    .base_price = 74000,
    .risk_approved = TRUE,
  };
}

/* Makes exactly the rule behind @reason fail. */
static void
break_rule (HogaEntryReason    reason,
            HogaEntrySettings *settings,
            HogaEntryContext  *context)
{
  switch (reason)
    {
    case HOGA_ENTRY_REASON_NOT_BUY_CONDITION:
      context->on_buy_condition = FALSE;
      break;
    case HOGA_ENTRY_REASON_NOT_INSERT:
      context->inserted = FALSE;
      break;
    case HOGA_ENTRY_REASON_SNAPSHOT_MEMBER:
      context->from_snapshot = TRUE;
      break;
    case HOGA_ENTRY_REASON_AUTO_BUY_OFF:
      settings->auto_buy = FALSE;
      break;
    case HOGA_ENTRY_REASON_OUTSIDE_WINDOW:
      context->now_hhmmss = 152000;
      break;
    case HOGA_ENTRY_REASON_HELD:
      context->held = TRUE;
      break;
    case HOGA_ENTRY_REASON_TRACKED:
      context->tracked = TRUE;
      break;
    case HOGA_ENTRY_REASON_BUY_PENDING:
      context->buy_pending = TRUE;
      break;
    case HOGA_ENTRY_REASON_BOUGHT_TODAY:
      context->bought_today = TRUE;
      break;
    case HOGA_ENTRY_REASON_COOLDOWN:
      context->cooldown_elapsed_s = 30;
      break;
    case HOGA_ENTRY_REASON_MAX_POSITIONS:
      context->tracked_count = 5;
      break;
    case HOGA_ENTRY_REASON_NO_REGISTRATION_CAPACITY:
      context->registration_capacity = 0;
      break;
    case HOGA_ENTRY_REASON_RISK_REJECTED:
      context->risk_approved = FALSE;
      break;
    case HOGA_ENTRY_REASON_NO_PRICE:
      context->current_price = 0;
      break;
    case HOGA_ENTRY_REASON_NO_BASE_PRICE:
      settings->order_type = HOGA_ORDER_TYPE_LIMIT;
      context->base_price = 0;
      break;
    case HOGA_ENTRY_REASON_QUANTITY_ZERO:
      settings->amount_per_stock = 50000;
      break;
    case HOGA_ENTRY_REASON_BUY:
    default:
      g_assert_not_reached ();
    }
}

static void
test_buy_market (void)
{
  HogaEntrySettings settings;
  HogaEntryContext context;
  HogaEntryDecision decision;

  setup_buyable (&settings, &context);

  g_assert_true (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_BUY);
  g_assert_cmpint (decision.order_type, ==, HOGA_ORDER_TYPE_MARKET);
  g_assert_cmpint (decision.qty, ==, 13);           /* 1,000,000 / 75,000 = 13.3 */
  g_assert_cmpint (decision.price, ==, 0);          /* market: no price on the order */
  g_assert_cmpint (decision.unit_price, ==, 75000);
}

static void
test_each_skip_reason (void)
{
  for (HogaEntryReason reason = HOGA_ENTRY_REASON_NOT_BUY_CONDITION;
       reason <= HOGA_ENTRY_REASON_QUANTITY_ZERO;
       reason++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      g_test_message ("%s", hoga_entry_reason_to_string (reason));
      setup_buyable (&settings, &context);
      break_rule (reason, &settings, &context);

      g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
      g_assert_cmpint (decision.reason, ==, reason);
      g_assert_cmpint (decision.qty, ==, 0);
    }
}

static void
test_skip_reports_first_rule (void)
{
  HogaEntrySettings settings;
  HogaEntryContext context;

  /* Break the rules from the last to the first: each time the newly broken one, being
   * earlier than all the others, is the one reported. */
  setup_buyable (&settings, &context);
  for (HogaEntryReason reason = HOGA_ENTRY_REASON_QUANTITY_ZERO;
       reason > HOGA_ENTRY_REASON_BUY;
       reason--)
    {
      HogaEntryDecision decision;

      break_rule (reason, &settings, &context);
      g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
      g_assert_cmpint (decision.reason, ==, reason);
    }
}

typedef struct {
  guint32  now_hhmmss;
  gboolean buys;
} WindowCase;

static void
test_window_boundary (void)
{
  static const WindowCase cases[] = {
    {  85959, FALSE },
    {  90000, TRUE },   /* the start is inside */
    { 151959, TRUE },
    { 152000, FALSE },  /* the end is not */
  };
  HogaEntrySettings settings;
  HogaEntryContext context;
  HogaEntryDecision decision;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      setup_buyable (&settings, &context);
      context.now_hhmmss = cases[i].now_hhmmss;
      g_assert_cmpint (hoga_entry_rules_evaluate (&settings, &context, &decision),
                       ==, cases[i].buys);
      g_assert_cmpint (decision.reason, ==, cases[i].buys ? HOGA_ENTRY_REASON_BUY
                                                          : HOGA_ENTRY_REASON_OUTSIDE_WINDOW);
    }

  /* An inverted window is empty, not a wrap past midnight. */
  setup_buyable (&settings, &context);
  settings.window_start_hhmmss = 150000;
  settings.window_end_hhmmss = 90000;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_OUTSIDE_WINDOW);
  context.now_hhmmss = 160000;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_OUTSIDE_WINDOW);
}

typedef struct {
  guint    max_positions;
  guint    tracked_count;
  gboolean buys;
} MaxPositionsCase;

static void
test_max_positions_boundary (void)
{
  static const MaxPositionsCase cases[] = {
    { 5, 4, TRUE },
    { 5, 5, FALSE },
    { 5, 6, FALSE },
    { 1, 0, TRUE },
    { 0, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      setup_buyable (&settings, &context);
      settings.max_positions = cases[i].max_positions;
      context.tracked_count = cases[i].tracked_count;
      g_assert_cmpint (hoga_entry_rules_evaluate (&settings, &context, &decision),
                       ==, cases[i].buys);
      g_assert_cmpint (decision.reason, ==, cases[i].buys ? HOGA_ENTRY_REASON_BUY
                                                          : HOGA_ENTRY_REASON_MAX_POSITIONS);
    }
}

typedef struct {
  guint    cooldown_s;
  gint64   elapsed_s;
  gboolean buys;
} CooldownCase;

static void
test_cooldown_boundary (void)
{
  static const CooldownCase cases[] = {
    { 60, -1, TRUE },   /* no cooldown started */
    { 60,  0, FALSE },
    { 60, 59, FALSE },
    { 60, 60, TRUE },   /* over exactly at the configured length */
    {  0,  0, TRUE },   /* off */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      setup_buyable (&settings, &context);
      settings.cooldown_s = cases[i].cooldown_s;
      context.cooldown_elapsed_s = cases[i].elapsed_s;
      g_assert_cmpint (hoga_entry_rules_evaluate (&settings, &context, &decision),
                       ==, cases[i].buys);
      g_assert_cmpint (decision.reason, ==, cases[i].buys ? HOGA_ENTRY_REASON_BUY
                                                          : HOGA_ENTRY_REASON_COOLDOWN);
    }
}

static void
test_reentry (void)
{
  HogaEntrySettings settings;
  HogaEntryContext context;
  HogaEntryDecision decision;

  setup_buyable (&settings, &context);
  context.bought_today = TRUE;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_BOUGHT_TODAY);

  settings.allow_reentry = TRUE;
  g_assert_true (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.qty, ==, 13);

  /* Re-entry is buying again after the position closed, never adding to an open one. */
  context.held = TRUE;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_HELD);
  context.held = FALSE;
  context.tracked = TRUE;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_TRACKED);

  /* The cooldown still applies after a same-day sell. */
  context.tracked = FALSE;
  context.cooldown_elapsed_s = 10;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_COOLDOWN);
}

static void
test_snapshot_members (void)
{
  HogaEntrySettings settings;
  HogaEntryContext context;
  HogaEntryDecision decision;

  setup_buyable (&settings, &context);
  context.from_snapshot = TRUE;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_SNAPSHOT_MEMBER);

  settings.buy_snapshot_members = TRUE;
  g_assert_true (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_BUY);
  g_assert_cmpint (decision.qty, ==, 13);

  /* Enabling them does not make a snapshot's D a buy. */
  context.inserted = FALSE;
  g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
  g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_NOT_INSERT);
}

typedef struct {
  HogaOrderType type;
  int           offset_ticks;
  gint64        amount;
  gint64        current;
  gint64        unit_price;
  gint64        qty;
} QuantityCase;

static void
test_quantity_floor (void)
{
  static const QuantityCase cases[] = {
    { HOGA_ORDER_TYPE_MARKET,  0,  1000000,   75000,   75000,   13 },  /* 13.3 */
    { HOGA_ORDER_TYPE_MARKET,  0,    75000,   75000,   75000,    1 },  /* exactly one */
    { HOGA_ORDER_TYPE_MARKET,  0, 10000000,    1999,    1999, 5002 },  /* 5,002.5 */
    { HOGA_ORDER_TYPE_MARKET,  0,  1000000, 1000000, 1000000,    1 },
    { HOGA_ORDER_TYPE_MARKET,  0,   150000,   75000,   75000,    2 },
    { HOGA_ORDER_TYPE_LIMIT,   1,   150000,   75000,   75100,    1 },  /* 1.997 at the limit */
    { HOGA_ORDER_TYPE_LIMIT,  -1,   150000,   75000,   74900,    2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      setup_buyable (&settings, &context);
      settings.order_type = cases[i].type;
      settings.limit_offset_ticks = cases[i].offset_ticks;
      settings.amount_per_stock = cases[i].amount;
      context.current_price = cases[i].current;
      context.base_price = cases[i].current;

      g_assert_true (hoga_entry_rules_evaluate (&settings, &context, &decision));
      g_assert_cmpint (decision.unit_price, ==, cases[i].unit_price);
      g_assert_cmpint (decision.qty, ==, cases[i].qty);
      g_assert_cmpint (decision.qty * decision.unit_price, <=, cases[i].amount);
      g_assert_cmpint ((decision.qty + 1) * decision.unit_price, >, cases[i].amount);
    }
}

static void
test_quantity_zero (void)
{
  static const QuantityCase cases[] = {
    { HOGA_ORDER_TYPE_MARKET,  0,  999999, 1000000, 1000000, 0 },
    { HOGA_ORDER_TYPE_MARKET,  0,   74999,   75000,   75000, 0 },
    { HOGA_ORDER_TYPE_MARKET,  0,       0,   75000,   75000, 0 },
    { HOGA_ORDER_TYPE_LIMIT,   1,   75000,   75000,   75100, 0 },  /* affordable only at market */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      setup_buyable (&settings, &context);
      settings.order_type = cases[i].type;
      settings.limit_offset_ticks = cases[i].offset_ticks;
      settings.amount_per_stock = cases[i].amount;
      context.current_price = cases[i].current;
      context.base_price = cases[i].current;

      g_assert_false (hoga_entry_rules_evaluate (&settings, &context, &decision));
      g_assert_cmpint (decision.reason, ==, HOGA_ENTRY_REASON_QUANTITY_ZERO);
      g_assert_cmpint (decision.qty, ==, 0);
      g_assert_cmpint (decision.unit_price, ==, cases[i].unit_price);
    }
}

typedef struct {
  gint64 current;
  gint64 base;
  int    offset_ticks;
  gint64 price;
} LimitPriceCase;

static void
test_limit_price (void)
{
  static const LimitPriceCase cases[] = {
    { 75000, 74000,  0, 75000 },
    { 75000, 74000,  2, 75200 },
    { 75000, 74000, -2, 74800 },
    { 50000, 48000, -1, 49950 },   /* down across a band edge: the 50-won tick below it */
    { 49950, 48000,  1, 50000 },
    { 50000, 48000,  1, 50100 },
    {  2000,  2000, -1,  1999 },
    {  1999,  2000,  2,  2005 },
    { 97400, 75000,  3, 97500 },   /* clamped to the upper limit of a 75,000 base */
    { 52600, 75000, -5, 52500 },   /* clamped to its lower limit */
    { 13050, 10050,  2, 13060 },   /* upper limit 13,060 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaEntrySettings settings;
      HogaEntryContext context;
      HogaEntryDecision decision;

      setup_buyable (&settings, &context);
      settings.order_type = HOGA_ORDER_TYPE_LIMIT;
      settings.limit_offset_ticks = cases[i].offset_ticks;
      context.current_price = cases[i].current;
      context.base_price = cases[i].base;

      g_assert_true (hoga_entry_rules_evaluate (&settings, &context, &decision));
      g_assert_cmpint (decision.order_type, ==, HOGA_ORDER_TYPE_LIMIT);
      g_assert_cmpint (decision.price, ==, cases[i].price);
      g_assert_cmpint (decision.unit_price, ==, cases[i].price);
      g_assert_cmpint (decision.qty, ==, 1000000 / cases[i].price);
      g_assert_true (hoga_krx_is_on_grid (decision.price));
      g_assert_cmpint (decision.price, <=, hoga_krx_upper_limit (cases[i].base));
      g_assert_cmpint (decision.price, >=, hoga_krx_lower_limit (cases[i].base));
    }
}

static void
test_reason_to_string (void)
{
  g_assert_cmpstr (hoga_entry_reason_to_string (HOGA_ENTRY_REASON_BUY), ==, "buy");
  g_assert_cmpstr (hoga_entry_reason_to_string (HOGA_ENTRY_REASON_SNAPSHOT_MEMBER),
                   ==, "snapshot-member");
  g_assert_cmpstr (hoga_entry_reason_to_string (HOGA_ENTRY_REASON_NO_REGISTRATION_CAPACITY),
                   ==, "no-registration-capacity");
  g_assert_cmpstr (hoga_entry_reason_to_string (HOGA_ENTRY_REASON_QUANTITY_ZERO),
                   ==, "quantity-zero");

  /* Every reason has its own identifier: they key the journal. */
  for (HogaEntryReason a = HOGA_ENTRY_REASON_BUY; a <= HOGA_ENTRY_REASON_QUANTITY_ZERO; a++)
    for (HogaEntryReason b = a + 1; b <= HOGA_ENTRY_REASON_QUANTITY_ZERO; b++)
      g_assert_cmpstr (hoga_entry_reason_to_string (a), !=, hoga_entry_reason_to_string (b));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/entry/buy-market", test_buy_market);
  g_test_add_func ("/engine/entry/each-skip-reason", test_each_skip_reason);
  g_test_add_func ("/engine/entry/skip-reports-first-rule", test_skip_reports_first_rule);
  g_test_add_func ("/engine/entry/window-boundary", test_window_boundary);
  g_test_add_func ("/engine/entry/max-positions-boundary", test_max_positions_boundary);
  g_test_add_func ("/engine/entry/cooldown-boundary", test_cooldown_boundary);
  g_test_add_func ("/engine/entry/reentry", test_reentry);
  g_test_add_func ("/engine/entry/snapshot-members", test_snapshot_members);
  g_test_add_func ("/engine/entry/quantity-floor", test_quantity_floor);
  g_test_add_func ("/engine/entry/quantity-zero", test_quantity_zero);
  g_test_add_func ("/engine/entry/limit-price", test_limit_price);
  g_test_add_func ("/engine/entry/reason-to-string", test_reason_to_string);

  return g_test_run ();
}
