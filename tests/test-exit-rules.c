/* test-exit-rules.c — exit rules: stop-loss, trailing stop, take-profit, sell condition,
 * end of day, their priority and the persisted trailing state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hoga-exit-rules.h"
#include "hoga-krx.h"

static HogaExitState
filled (gint64 avg_cost)
{
  /* The engine seeds the peak with the fill price; these tests fill at the average cost. */
  return (HogaExitState) { .avg_cost = avg_cost, .entry_filled = TRUE, .peak = avg_cost };
}

static HogaExitState
armed (gint64 avg_cost,
       gint64 peak,
       gint64 stop)
{
  return (HogaExitState) {
    .avg_cost = avg_cost, .entry_filled = TRUE, .peak = peak, .stop = stop, .armed = TRUE,
  };
}

static HogaExitReason
evaluate (const HogaExitSettings *settings,
          const HogaExitState    *state,
          gint64                  last,
          HogaExitDecision       *decision)
{
  return hoga_exit_rules_evaluate (settings, state, last, FALSE, 100000, decision);
}

typedef struct {
  gint64 avg_cost;
  gint64 price;
  gint64 profit_bp;
} ProfitCase;

static void
test_profit_truncates_toward_zero (void)
{
  static const ProfitCase cases[] = {
    { 10000,  9688, -312 },
    { 10000, 10000,    0 },
    { 10000, 10523,  523 },
    {  3333,  3230, -309 },   /* -309.03 */
    {  3333,  3436,  309 },   /* +309.03 */
    { 75000, 74990,   -1 },   /* -1.33 */
    { 75000, 75010,    1 },   /* +1.33 */
    { 10050,  9748, -300 },   /* -300.50 */
    { 10050,  9749, -299 },   /* -299.50 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hoga_exit_rules_profit_bp (cases[i].avg_cost, cases[i].price),
                     ==, cases[i].profit_bp);
}

typedef struct {
  gint64   avg_cost;
  gint32   threshold_bp;
  gint64   last;
  gboolean fires;
} ThresholdCase;

static void
test_stop_loss_boundary (void)
{
  static const ThresholdCase cases[] = {
    { 10000, 300,  9700, TRUE },   /* exactly -3.00 % */
    { 10000, 300,  9701, FALSE },  /* one won above: -2.99 % */
    { 10000, 300,  9699, TRUE },
    { 10050, 300,  9748, TRUE },   /* -3.005 % */
    { 10050, 300,  9749, FALSE },  /* -2.995 % */
    { 10000,   0,  5000, FALSE },  /* off */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaExitSettings settings = { .stop_loss_bp = cases[i].threshold_bp };
      HogaExitState state = filled (cases[i].avg_cost);
      HogaExitDecision decision;
      HogaExitReason reason;

      reason = evaluate (&settings, &state, cases[i].last, &decision);

      g_assert_cmpint (reason, ==, decision.reason);
      g_assert_cmpint (reason, ==, cases[i].fires ? HOGA_EXIT_REASON_STOP_LOSS
                                                  : HOGA_EXIT_REASON_NONE);
      g_assert_cmpint (decision.last, ==, cases[i].last);
      g_assert_cmpint (decision.threshold_bp, ==, cases[i].fires ? -cases[i].threshold_bp : 0);
    }
}

static void
test_take_profit_boundary (void)
{
  static const ThresholdCase cases[] = {
    { 10000, 500, 10500, TRUE },   /* exactly +5.00 % */
    { 10000, 500, 10499, FALSE },  /* one won below */
    { 10000, 500, 10510, TRUE },
    { 10050, 500, 10553, TRUE },   /* +5.005 % */
    { 10050, 500, 10552, FALSE },  /* +4.995 % */
    { 10000,   0, 20000, FALSE },  /* off */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaExitSettings settings = { .take_profit_bp = cases[i].threshold_bp };
      HogaExitState state = filled (cases[i].avg_cost);
      HogaExitDecision decision;

      g_assert_cmpint (evaluate (&settings, &state, cases[i].last, &decision),
                       ==, cases[i].fires ? HOGA_EXIT_REASON_TAKE_PROFIT
                                          : HOGA_EXIT_REASON_NONE);
      g_assert_cmpint (decision.threshold_bp, ==, cases[i].fires ? cases[i].threshold_bp : 0);
    }
}

typedef struct {
  gint64         last;
  HogaExitReason reason;
  gboolean       changed;
  gint64         peak;
  gint64         stop;
  gboolean       armed;
} TickStep;

/* Feeds @steps one after the other, carrying the state over as the engine does. */
static HogaExitState
run_steps (const HogaExitSettings *settings,
           HogaExitState           state,
           const TickStep         *steps,
           guint                   n_steps)
{
  for (guint i = 0; i < n_steps; i++)
    {
      HogaExitDecision decision;

      g_test_message ("step %u: last %" G_GINT64_FORMAT, i, steps[i].last);
      g_assert_cmpint (evaluate (settings, &state, steps[i].last, &decision),
                       ==, steps[i].reason);
      g_assert_cmpint (decision.state_changed, ==, steps[i].changed);
      g_assert_cmpint (decision.next.peak, ==, steps[i].peak);
      g_assert_cmpint (decision.next.stop, ==, steps[i].stop);
      g_assert_cmpint (decision.next.armed, ==, steps[i].armed);
      g_assert_cmpint (decision.next.avg_cost, ==, state.avg_cost);
      g_assert_true (decision.next.entry_filled);
      state = decision.next;
    }
  return state;
}

static void
test_trailing_arms_at_start (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 300, .trailing_drop_bp = 200 };
  static const TickStep steps[] = {
    { 10290, HOGA_EXIT_REASON_NONE,          TRUE,  10290,     0, FALSE },  /* +2.90 % */
    { 10300, HOGA_EXIT_REASON_NONE,          TRUE,  10300, 10090, TRUE },   /* +3.00 %: 10,094 */
    { 10200, HOGA_EXIT_REASON_NONE,          FALSE, 10300, 10090, TRUE },   /* stays armed */
    { 10090, HOGA_EXIT_REASON_TRAILING_STOP, FALSE, 10300, 10090, TRUE },
  };

  run_steps (&settings, filled (10000), steps, G_N_ELEMENTS (steps));
}

static void
test_trailing_not_before_arming (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 500, .trailing_drop_bp = 200 };
  static const TickStep steps[] = {
    { 10400, HOGA_EXIT_REASON_NONE, TRUE,  10400, 0, FALSE },  /* +4.00 %, start is 5 % */
    { 10000, HOGA_EXIT_REASON_NONE, FALSE, 10400, 0, FALSE },  /* 2 % below the peak would be 10,190 */
    {  9000, HOGA_EXIT_REASON_NONE, FALSE, 10400, 0, FALSE },
  };

  run_steps (&settings, filled (10000), steps, G_N_ELEMENTS (steps));
}

static void
test_trailing_off_still_tracks_peak (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 0, .trailing_drop_bp = 200 };
  static const TickStep steps[] = {
    { 12000, HOGA_EXIT_REASON_NONE, TRUE,  12000, 0, FALSE },
    {  9000, HOGA_EXIT_REASON_NONE, FALSE, 12000, 0, FALSE },
  };
  /* Switched off mid-position, an armed stop neither trails nor fires; it is kept for when
   * trailing is switched back on. */
  static const TickStep switched_off[] = {
    { 11500, HOGA_EXIT_REASON_NONE, TRUE,  11500, 10780, TRUE },
    { 10500, HOGA_EXIT_REASON_NONE, FALSE, 11500, 10780, TRUE },
  };

  run_steps (&settings, filled (10000), steps, G_N_ELEMENTS (steps));
  run_steps (&settings, armed (10000, 11000, 10780), switched_off, G_N_ELEMENTS (switched_off));
}

static void
test_trailing_peak_ignores_ticks_before_entry (void)
{
  HogaExitSettings settings = {
    .stop_loss_bp = 300, .trailing_start_bp = 300, .trailing_drop_bp = 200,
    .take_profit_bp = 500, .end_of_day = TRUE, .end_of_day_hhmmss = 152000,
  };
  HogaExitState pending = { .avg_cost = 0, .entry_filled = FALSE };
  static const TickStep after_fill[] = {
    {  9950, HOGA_EXIT_REASON_NONE, FALSE, 10000, 0, FALSE },  /* below the fill price */
    { 10100, HOGA_EXIT_REASON_NONE, TRUE,  10100, 0, FALSE },
  };
  HogaExitDecision decision;
  HogaExitState state;

  /* Before the fill nothing moves and nothing fires, whatever arrives. */
  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &pending, 12000, TRUE, 153000, &decision),
                   ==, HOGA_EXIT_REASON_NONE);
  g_assert_false (decision.state_changed);
  g_assert_cmpint (decision.next.peak, ==, 0);
  g_assert_cmpint (decision.next.stop, ==, 0);
  g_assert_false (decision.next.armed);
  g_assert_cmpint (decision.last, ==, 0);

  state = decision.next;
  state.avg_cost = 10000;
  state.entry_filled = TRUE;
  state.peak = 10000;
  run_steps (&settings, state, after_fill, G_N_ELEMENTS (after_fill));
}

typedef struct {
  gint64 peak;
  gint32 drop_bp;
  gint64 stop;
} StopCase;

static void
test_trailing_stop_floors_to_grid (void)
{
  static const StopCase cases[] = {
    {   50100, 300,   48550 },  /* 48,597 lies in the 50-won band */
    {   50000, 300,   48500 },
    {   10300, 200,   10090 },  /* 10,094 */
    {    2050, 300,    1988 },  /* 1,988.5 lies in the 1-won band */
    {    5010, 100,    4955 },  /* 4,959.9 lies in the 5-won band */
    {  200500, 100,  198400 },  /* 198,495 lies in the 100-won band */
    {  501000, 150,  493000 },  /* 493,485 lies in the 500-won band */
    { 1234000, 200, 1209000 },  /* 1,209,320 */
    {   10000,   0,   10000 },
    {       1, 100,       0 },  /* no stop below one won */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 stop = hoga_exit_rules_trailing_stop (cases[i].peak, cases[i].drop_bp);

      g_assert_cmpint (stop, ==, cases[i].stop);
      g_assert_true (stop == 0 || hoga_krx_is_on_grid (stop));
    }
}

static void
test_trailing_stop_across_band_edge (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 300, .trailing_drop_bp = 300 };
  static const TickStep steps[] = {
    { 50100, HOGA_EXIT_REASON_NONE,          TRUE,  50100, 48550, TRUE },
    { 48600, HOGA_EXIT_REASON_NONE,          FALSE, 50100, 48550, TRUE },
    { 48550, HOGA_EXIT_REASON_TRAILING_STOP, FALSE, 50100, 48550, TRUE },
  };

  run_steps (&settings, armed (45000, 50000, 48500), steps, G_N_ELEMENTS (steps));
}

static void
test_trailing_ratchets_up (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 300, .trailing_drop_bp = 200 };
  static const TickStep rising[] = {
    { 10300, HOGA_EXIT_REASON_NONE, TRUE,  10300, 10090, TRUE },
    { 10600, HOGA_EXIT_REASON_NONE, TRUE,  10600, 10380, TRUE },  /* 10,388 */
    { 10450, HOGA_EXIT_REASON_NONE, FALSE, 10600, 10380, TRUE },
    { 10700, HOGA_EXIT_REASON_NONE, TRUE,  10700, 10480, TRUE },  /* 10,486 */
  };
  static const TickStep widened[] = {
    { 10600, HOGA_EXIT_REASON_NONE, FALSE, 10700, 10480, TRUE },  /* 5 % would be 10,160 */
  };
  static const TickStep restored[] = {
    { 10490, HOGA_EXIT_REASON_NONE, FALSE, 10500, 10480, TRUE },  /* 10,500 implies 10,290 */
    { 10480, HOGA_EXIT_REASON_TRAILING_STOP, FALSE, 10500, 10480, TRUE },
  };
  HogaExitState state;

  state = run_steps (&settings, filled (10000), rising, G_N_ELEMENTS (rising));

  settings.trailing_drop_bp = 500;
  run_steps (&settings, state, widened, G_N_ELEMENTS (widened));

  /* A stop from the journal above what a lower peak gives is kept. */
  settings.trailing_drop_bp = 200;
  run_steps (&settings, armed (10000, 10500, 10480), restored, G_N_ELEMENTS (restored));
}

static void
test_trailing_fires_at_stop (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 300, .trailing_drop_bp = 200 };
  static const TickStep cases[] = {
    { 10390, HOGA_EXIT_REASON_NONE,          FALSE, 10600, 10380, TRUE },
    { 10380, HOGA_EXIT_REASON_TRAILING_STOP, FALSE, 10600, 10380, TRUE },
    { 10370, HOGA_EXIT_REASON_TRAILING_STOP, FALSE, 10600, 10380, TRUE },
  };

  /* Each tick on its own, from the same state. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_steps (&settings, armed (10000, 10600, 10380), &cases[i], 1);
}

typedef struct {
  const char     *what;
  HogaExitState   state;
  gint64          last;
  gboolean        sell_condition;
  guint32         now_hhmmss;
  HogaExitReason  reason;
} PriorityCase;

static void
test_priority (void)
{
  HogaExitSettings settings = {
    .stop_loss_bp = 300, .trailing_start_bp = 300, .trailing_drop_bp = 200,
    .take_profit_bp = 800, .end_of_day = TRUE, .end_of_day_hhmmss = 152000,
  };
  const PriorityCase cases[] = {
    { "stop-loss over all", armed (10000, 10600, 10380), 9700, TRUE, 152000,
      HOGA_EXIT_REASON_STOP_LOSS },
    { "trailing over take-profit", armed (10000, 11200, 10970), 10900, TRUE, 152000,
      HOGA_EXIT_REASON_TRAILING_STOP },
    { "take-profit over sell condition", armed (10000, 10900, 10680), 10900, TRUE, 152000,
      HOGA_EXIT_REASON_TAKE_PROFIT },
    { "sell condition over end of day", filled (10000), 10100, TRUE, 152000,
      HOGA_EXIT_REASON_SELL_CONDITION },
    { "end of day alone", filled (10000), 10100, FALSE, 152000,
      HOGA_EXIT_REASON_END_OF_DAY },
    { "nothing", filled (10000), 10100, FALSE, 151959,
      HOGA_EXIT_REASON_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaExitDecision decision;

      g_test_message ("%s", cases[i].what);
      g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &cases[i].state, cases[i].last,
                                                 cases[i].sell_condition, cases[i].now_hhmmss,
                                                 &decision),
                       ==, cases[i].reason);
    }
}

static void
test_sell_condition (void)
{
  HogaExitSettings settings = { .stop_loss_bp = 300 };
  HogaExitState state = filled (10000);
  HogaExitDecision decision;

  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 10250, TRUE, 100000, &decision),
                   ==, HOGA_EXIT_REASON_SELL_CONDITION);
  g_assert_cmpint (decision.profit_bp, ==, 250);

  /* It needs no price: the event alone is the signal. */
  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 0, TRUE, 100000, &decision),
                   ==, HOGA_EXIT_REASON_SELL_CONDITION);

  g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 10250, FALSE, 100000, &decision),
                   ==, HOGA_EXIT_REASON_NONE);
}

typedef struct {
  gboolean enabled;
  guint32  now_hhmmss;
  gboolean fires;
} EndOfDayCase;

static void
test_end_of_day (void)
{
  static const EndOfDayCase cases[] = {
    { TRUE,  151959, FALSE },
    { TRUE,  152000, TRUE },
    { TRUE,  152001, TRUE },
    { TRUE,  153000, TRUE },
    { FALSE, 160000, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaExitSettings settings = {
        .end_of_day = cases[i].enabled, .end_of_day_hhmmss = 152000,
      };
      HogaExitState state = filled (10000);
      HogaExitDecision decision;
      HogaExitReason expected = cases[i].fires ? HOGA_EXIT_REASON_END_OF_DAY
                                               : HOGA_EXIT_REASON_NONE;

      g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 10000, FALSE,
                                                 cases[i].now_hhmmss, &decision),
                       ==, expected);
      /* Selling at the close does not wait for a tick. */
      g_assert_cmpint (hoga_exit_rules_evaluate (&settings, &state, 0, FALSE,
                                                 cases[i].now_hhmmss, &decision),
                       ==, expected);
    }
}

static void
test_no_price_skips_price_rules (void)
{
  HogaExitSettings settings = {
    .stop_loss_bp = 300, .trailing_start_bp = 300, .trailing_drop_bp = 200,
    .take_profit_bp = 100,
  };
  HogaExitState state = armed (10000, 20000, 19600);
  HogaExitDecision decision;

  g_assert_cmpint (evaluate (&settings, &state, 0, &decision), ==, HOGA_EXIT_REASON_NONE);
  g_assert_false (decision.state_changed);
  g_assert_cmpint (decision.last, ==, 0);
  g_assert_cmpint (decision.profit_bp, ==, 0);
  g_assert_cmpint (decision.next.peak, ==, 20000);
  g_assert_cmpint (decision.next.stop, ==, 19600);
}

static void
test_state_changed_flag (void)
{
  HogaExitSettings settings = { .trailing_start_bp = 300, .trailing_drop_bp = 200 };
  static const TickStep steps[] = {
    { 10000, HOGA_EXIT_REASON_NONE, FALSE, 10000,     0, FALSE },  /* equals the seeded peak */
    {  9900, HOGA_EXIT_REASON_NONE, FALSE, 10000,     0, FALSE },
    { 10100, HOGA_EXIT_REASON_NONE, TRUE,  10100,     0, FALSE },  /* peak */
    { 10100, HOGA_EXIT_REASON_NONE, FALSE, 10100,     0, FALSE },
    { 10300, HOGA_EXIT_REASON_NONE, TRUE,  10300, 10090, TRUE },   /* peak, armed, stop */
    { 10310, HOGA_EXIT_REASON_NONE, TRUE,  10310, 10100, TRUE },   /* peak, stop */
    { 10310, HOGA_EXIT_REASON_NONE, FALSE, 10310, 10100, TRUE },
    {     0, HOGA_EXIT_REASON_NONE, FALSE, 10310, 10100, TRUE },   /* no price */
  };
  static const TickStep armed_below_peak[] = {
    { 10300, HOGA_EXIT_REASON_NONE, TRUE,  10400, 10190, TRUE },   /* armed, stop; not the peak */
  };
  HogaExitState seeded_high = filled (10000);

  run_steps (&settings, filled (10000), steps, G_N_ELEMENTS (steps));

  seeded_high.peak = 10400;
  run_steps (&settings, seeded_high, armed_below_peak, G_N_ELEMENTS (armed_below_peak));
}

typedef struct {
  HogaExitSettings settings;
  HogaExitState    state;
  gint64           last;
  gboolean         sell_condition;
  guint32          now_hhmmss;
  const char      *text;
} DescribeCase;

static void
test_describe (void)
{
  const DescribeCase cases[] = {
    { { .stop_loss_bp = 300 }, filled (10000), 9688, FALSE, 100000,
      "stop-loss: -3.12 % ≤ -3.00 %" },
    { { .stop_loss_bp = 5 }, filled (200000), 199900, FALSE, 100000,
      "stop-loss: -0.05 % ≤ -0.05 %" },
    { { .take_profit_bp = 500 }, filled (10000), 10520, FALSE, 100000,
      "take-profit: 5.20 % ≥ 5.00 %" },
    { { .trailing_start_bp = 300, .trailing_drop_bp = 300 }, armed (45000, 50100, 48550), 48550,
      FALSE, 100000, "trailing stop: 48,550 ≤ 48,550 (peak 50,100)" },
    { { .trailing_start_bp = 300, .trailing_drop_bp = 200 }, armed (1000000, 1234000, 1209000),
      1209000, FALSE, 100000, "trailing stop: 1,209,000 ≤ 1,209,000 (peak 1,234,000)" },
    { { 0 }, filled (10000), 10250, TRUE, 100000, "sell condition: entered at 10,250 (2.50 %)" },
    { { 0 }, filled (10000), 0, TRUE, 100000, "sell condition: entered" },
    { { .end_of_day = TRUE, .end_of_day_hhmmss = 152000 }, filled (10000), 9990, FALSE, 152005,
      "end of day: 15:20:05 ≥ 15:20:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HogaExitDecision decision;
      g_autofree char *text = NULL;

      hoga_exit_rules_evaluate (&cases[i].settings, &cases[i].state, cases[i].last,
                                cases[i].sell_condition, cases[i].now_hhmmss, &decision);
      text = hoga_exit_decision_describe (&decision);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_reason_to_string (void)
{
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_NONE), ==, "none");
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_STOP_LOSS), ==, "stop-loss");
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_TRAILING_STOP),
                   ==, "trailing-stop");
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_TAKE_PROFIT), ==, "take-profit");
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_SELL_CONDITION),
                   ==, "sell-condition");
  g_assert_cmpstr (hoga_exit_reason_to_string (HOGA_EXIT_REASON_END_OF_DAY), ==, "end-of-day");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/exit/profit-truncates-toward-zero", test_profit_truncates_toward_zero);
  g_test_add_func ("/engine/exit/stop-loss-boundary", test_stop_loss_boundary);
  g_test_add_func ("/engine/exit/take-profit-boundary", test_take_profit_boundary);
  g_test_add_func ("/engine/exit/trailing-arms-at-start", test_trailing_arms_at_start);
  g_test_add_func ("/engine/exit/trailing-not-before-arming", test_trailing_not_before_arming);
  g_test_add_func ("/engine/exit/trailing-off-still-tracks-peak",
                   test_trailing_off_still_tracks_peak);
  g_test_add_func ("/engine/exit/trailing-peak-ignores-ticks-before-entry",
                   test_trailing_peak_ignores_ticks_before_entry);
  g_test_add_func ("/engine/exit/trailing-stop-floors-to-grid", test_trailing_stop_floors_to_grid);
  g_test_add_func ("/engine/exit/trailing-stop-across-band-edge",
                   test_trailing_stop_across_band_edge);
  g_test_add_func ("/engine/exit/trailing-ratchets-up", test_trailing_ratchets_up);
  g_test_add_func ("/engine/exit/trailing-fires-at-stop", test_trailing_fires_at_stop);
  g_test_add_func ("/engine/exit/priority", test_priority);
  g_test_add_func ("/engine/exit/sell-condition", test_sell_condition);
  g_test_add_func ("/engine/exit/end-of-day", test_end_of_day);
  g_test_add_func ("/engine/exit/no-price-skips-price-rules", test_no_price_skips_price_rules);
  g_test_add_func ("/engine/exit/state-changed-flag", test_state_changed_flag);
  g_test_add_func ("/engine/exit/describe", test_describe);
  g_test_add_func ("/engine/exit/reason-to-string", test_reason_to_string);

  return g_test_run ();
}
