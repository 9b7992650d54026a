/* test-krx.c — KRX rules: the 2023 tick table, rounding, daily limits, KST schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hoga-krx.h"

typedef struct {
  gint64 price;
  gint64 tick;
} TickCase;

static void
test_tick_size_2023_table (void)
{
  /* Every band edge of the table in force since 2023-01-25, both sides. */
  static const TickCase cases[] = {
    { 1, 1 }, { 1999, 1 }, { 2000, 5 }, { 4999, 5 }, { 5000, 10 }, { 19999, 10 },
    { 20000, 50 }, { 49999, 50 }, { 50000, 100 }, { 199999, 100 }, { 200000, 500 },
    { 499999, 500 }, { 500000, 1000 }, { 1500000, 1000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hoga_krx_tick_size (cases[i].price), ==, cases[i].tick);
}

static void
test_grid (void)
{
  g_assert_true (hoga_krx_is_on_grid (1999));
  g_assert_true (hoga_krx_is_on_grid (2005));
  g_assert_false (hoga_krx_is_on_grid (2003));
  g_assert_true (hoga_krx_is_on_grid (75000));
  g_assert_false (hoga_krx_is_on_grid (75050));
  g_assert_true (hoga_krx_is_on_grid (201500));
  g_assert_false (hoga_krx_is_on_grid (201600));
  g_assert_false (hoga_krx_is_on_grid (0));
  g_assert_false (hoga_krx_is_on_grid (-100));
}

static void
test_rounding (void)
{
  g_assert_cmpint (hoga_krx_round_down (2003), ==, 2000);
  g_assert_cmpint (hoga_krx_round_up (2003), ==, 2005);
  g_assert_cmpint (hoga_krx_round_up (4996), ==, 5000);
  g_assert_cmpint (hoga_krx_round_down (20049), ==, 20000);
  g_assert_cmpint (hoga_krx_round_up (20001), ==, 20050);
  g_assert_cmpint (hoga_krx_round_up (49951), ==, 50000);
  g_assert_cmpint (hoga_krx_round_down (75099), ==, 75000);
  g_assert_cmpint (hoga_krx_round_up (199901), ==, 200000);
  g_assert_cmpint (hoga_krx_round_down (499999), ==, 499500);
  g_assert_cmpint (hoga_krx_round_up (499501), ==, 500000);
  g_assert_cmpint (hoga_krx_round_down (1999), ==, 1999);
  g_assert_cmpint (hoga_krx_round_up (75000), ==, 75000);
}

static void
test_add_ticks_across_bands (void)
{
  g_assert_cmpint (hoga_krx_add_ticks (1999, 1), ==, 2000);
  g_assert_cmpint (hoga_krx_add_ticks (2000, 1), ==, 2005);
  g_assert_cmpint (hoga_krx_add_ticks (2000, -1), ==, 1999);
  g_assert_cmpint (hoga_krx_add_ticks (5000, -1), ==, 4995);
  g_assert_cmpint (hoga_krx_add_ticks (49950, 1), ==, 50000);
  g_assert_cmpint (hoga_krx_add_ticks (50000, 1), ==, 50100);
  g_assert_cmpint (hoga_krx_add_ticks (50000, -2), ==, 49900);
  g_assert_cmpint (hoga_krx_add_ticks (75000, 3), ==, 75300);
  g_assert_cmpint (hoga_krx_add_ticks (75000, 0), ==, 75000);
  /* Off-grid prices are first snapped toward the direction of travel's origin. */
  g_assert_cmpint (hoga_krx_add_ticks (75050, 1), ==, 75100);
  g_assert_cmpint (hoga_krx_add_ticks (75050, -1), ==, 75000);
  g_assert_cmpint (hoga_krx_add_ticks (2, -5), ==, 1);
}

typedef struct {
  gint64 base;
  gint64 upper;
  gint64 lower;
} LimitCase;

static void
test_daily_limits (void)
{
  /* ±30 % truncated toward the base price to the tick of the band the limit falls in. */
  static const LimitCase cases[] = {
    {  75000,  97500,  52500 },
    {  10050,  13060,   7040 },
    {   1500,   1950,   1050 },
    {   3000,   3900,   2100 },
    { 160400, 208500, 112300 },
    { 155000, 201500, 108500 },
    {  16000,  20800,  11200 },
    {      1,      1,      1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 upper = hoga_krx_upper_limit (cases[i].base);
      gint64 lower = hoga_krx_lower_limit (cases[i].base);

      g_assert_cmpint (upper, ==, cases[i].upper);
      g_assert_cmpint (lower, ==, cases[i].lower);
      g_assert_true (hoga_krx_is_on_grid (upper));
      g_assert_true (hoga_krx_is_on_grid (lower));
      g_assert_cmpint (upper * 100, <=, cases[i].base * 130);
      g_assert_cmpint (lower * 100, >=, cases[i].base * 70);
    }

  g_assert_cmpint (hoga_krx_clamp_to_limits (200000, 75000), ==, 97500);
  g_assert_cmpint (hoga_krx_clamp_to_limits (1000, 75000), ==, 52500);
  g_assert_cmpint (hoga_krx_clamp_to_limits (80000, 75000), ==, 80000);
}

static GDateTime *
utc (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new_utc (year, month, day, hour, minute, 0);
}

typedef struct {
  int          utc_hour;
  int          utc_minute;
  HogaKrxPhase phase;
} PhaseCase;

static void
test_phases_in_kst (void)
{
  /* 2026-11-20 is a Friday; KST = UTC + 9, whatever TZ this process runs in. */
  static const PhaseCase cases[] = {
    { 23, 29, HOGA_KRX_PHASE_CLOSED },            /* Fri 08:29 KST (Thu UTC) */
    { 23, 30, HOGA_KRX_PHASE_PRE_MARKET },
    {  0,  0, HOGA_KRX_PHASE_CONTINUOUS },        /* 09:00 */
    {  6, 19, HOGA_KRX_PHASE_CONTINUOUS },
    {  6, 20, HOGA_KRX_PHASE_CLOSING_AUCTION },   /* 15:20 */
    {  6, 30, HOGA_KRX_PHASE_POST_CLOSE },
    {  6, 40, HOGA_KRX_PHASE_AFTER_HOURS_CLOSE },
    {  7,  0, HOGA_KRX_PHASE_AFTER_HOURS_SINGLE },
    {  9,  0, HOGA_KRX_PHASE_CLOSED },            /* 18:00 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int day = cases[i].utc_hour >= 20 ? 19 : 20;
      g_autoptr(GDateTime) when = utc (2026, 11, day, cases[i].utc_hour, cases[i].utc_minute);

      g_assert_cmpstr (hoga_krx_phase_to_string (hoga_krx_phase_at (when)), ==,
                       hoga_krx_phase_to_string (cases[i].phase));
    }
}

static void
test_weekend_closed (void)
{
  g_autoptr(GDateTime) saturday_noon_kst = utc (2026, 11, 21, 3, 0);
  g_autoptr(GDateTime) sunday_noon_kst = utc (2026, 11, 22, 3, 0);
  g_autoptr(GDateTime) monday_noon_kst = utc (2026, 11, 23, 3, 0);

  g_assert_false (hoga_krx_is_trading_day (saturday_noon_kst));
  g_assert_cmpint (hoga_krx_phase_at (saturday_noon_kst), ==, HOGA_KRX_PHASE_CLOSED);
  g_assert_cmpint (hoga_krx_phase_at (sunday_noon_kst), ==, HOGA_KRX_PHASE_CLOSED);
  g_assert_cmpint (hoga_krx_phase_at (monday_noon_kst), ==, HOGA_KRX_PHASE_CONTINUOUS);
}

static void
test_holidays_closed (void)
{
  /* 2026-12-25 (성탄절) and 2026-12-31 (연말 휴장일) are weekdays without a session. */
  g_autoptr(GDateTime) christmas_noon_kst = utc (2026, 12, 25, 3, 0);
  g_autoptr(GDateTime) year_end_noon_kst = utc (2026, 12, 31, 3, 0);
  g_autoptr(GDateTime) christmas_eve_noon_kst = utc (2026, 12, 24, 3, 0);

  g_assert_true (hoga_krx_is_weekday (christmas_noon_kst));
  g_assert_false (hoga_krx_is_trading_day (christmas_noon_kst));
  g_assert_cmpint (hoga_krx_phase_at (christmas_noon_kst), ==, HOGA_KRX_PHASE_CLOSED);
  g_assert_cmpint (hoga_krx_phase_at (year_end_noon_kst), ==, HOGA_KRX_PHASE_CLOSED);
  g_assert_cmpint (hoga_krx_phase_at (christmas_eve_noon_kst), ==, HOGA_KRX_PHASE_CONTINUOUS);
}

static void
test_next_phase_change_skips_holidays (void)
{
  /* Thursday 24 December after the close: Friday is 성탄절, so the next session opens on
   * Monday 28 December. */
  g_autoptr(GDateTime) christmas_eve_evening = utc (2026, 12, 24, 10, 0);
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) next_kst = NULL;
  HogaKrxPhase phase;

  next = hoga_krx_next_phase_change (christmas_eve_evening, &phase);
  next_kst = hoga_krx_to_kst (next);
  g_assert_cmpint (phase, ==, HOGA_KRX_PHASE_PRE_MARKET);
  g_assert_cmpint (g_date_time_get_day_of_month (next_kst), ==, 28);
  g_assert_cmpint (g_date_time_get_hour (next_kst), ==, 8);
  g_assert_cmpint (g_date_time_get_minute (next_kst), ==, 30);
}

static void
test_next_phase_change (void)
{
  g_autoptr(GDateTime) friday_evening = utc (2026, 11, 20, 9, 30);   /* 18:30 KST */
  g_autoptr(GDateTime) friday_morning = utc (2026, 11, 20, 1, 0);    /* 10:00 KST */
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) next_kst = NULL;
  HogaKrxPhase phase;

  next = hoga_krx_next_phase_change (friday_evening, &phase);
  next_kst = hoga_krx_to_kst (next);
  g_assert_cmpint (phase, ==, HOGA_KRX_PHASE_PRE_MARKET);
  g_assert_cmpint (g_date_time_get_day_of_week (next_kst), ==, 1);
  g_assert_cmpint (g_date_time_get_hour (next_kst), ==, 8);
  g_assert_cmpint (g_date_time_get_minute (next_kst), ==, 30);

  g_clear_pointer (&next, g_date_time_unref);
  g_clear_pointer (&next_kst, g_date_time_unref);
  next = hoga_krx_next_phase_change (friday_morning, &phase);
  next_kst = hoga_krx_to_kst (next);
  g_assert_cmpint (phase, ==, HOGA_KRX_PHASE_CLOSING_AUCTION);
  g_assert_cmpint (g_date_time_get_hour (next_kst), ==, 15);
  g_assert_cmpint (g_date_time_get_minute (next_kst), ==, 20);
}

static void
test_time_zone_is_seoul (void)
{
  g_autoptr(GDateTime) now = hoga_krx_now ();

  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 9 * G_TIME_SPAN_HOUR);
  g_assert_true (hoga_krx_phase_is_regular (HOGA_KRX_PHASE_CONTINUOUS));
  g_assert_true (hoga_krx_phase_is_regular (HOGA_KRX_PHASE_CLOSING_AUCTION));
  g_assert_false (hoga_krx_phase_is_regular (HOGA_KRX_PHASE_PRE_MARKET));
}

int
main (int   argc,
      char *argv[])
{
  /* The machine's zone must not matter: run as if in Los Angeles. */
  g_setenv ("TZ", "America/Los_Angeles", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/krx/tick-size/2023-table", test_tick_size_2023_table);
  g_test_add_func ("/krx/tick-size/grid", test_grid);
  g_test_add_func ("/krx/price/rounding", test_rounding);
  g_test_add_func ("/krx/price/add-ticks-across-bands", test_add_ticks_across_bands);
  g_test_add_func ("/krx/limits/thirty-percent", test_daily_limits);
  g_test_add_func ("/krx/schedule/phases-in-kst", test_phases_in_kst);
  g_test_add_func ("/krx/schedule/weekend-closed", test_weekend_closed);
  g_test_add_func ("/krx/schedule/holidays-closed", test_holidays_closed);
  g_test_add_func ("/krx/schedule/next-phase-change", test_next_phase_change);
  g_test_add_func ("/krx/schedule/next-phase-change-skips-holidays",
                   test_next_phase_change_skips_holidays);
  g_test_add_func ("/krx/schedule/time-zone-is-seoul", test_time_zone_is_seoul);

  return g_test_run ();
}
