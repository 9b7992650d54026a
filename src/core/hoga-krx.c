/* hoga-krx.c — KRX market rules: tick grid, daily limits, session schedule (Asia/Seoul)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tick table is the unified KOSPI/KOSDAQ table in force since 2023-01-25; the daily
 * limit is ±30 % of the base price, truncated toward the base to the tick of its band.
 * Korea has no daylight saving time, so a fixed +09:00 zone is exact when tzdata is absent.
 */
#define G_LOG_DOMAIN "hoga-krx"

#include "config.h"

#include "hoga-holidays.h"
#include "hoga-krx.h"

typedef struct {
  gint64 below;
  gint64 tick;
} TickBand;

static const TickBand tick_bands[] = {
  {     2000,    1 },
  {     5000,    5 },
  {    20000,   10 },
  {    50000,   50 },
  {   200000,  100 },
  {   500000,  500 },
  { G_MAXINT64, 1000 },
};

typedef struct {
  guint        minute_of_day;
  HogaKrxPhase phase;
} PhaseStart;

/* Each entry starts a phase that lasts until the next entry. */
static const PhaseStart schedule[] = {
  {  0 * 60 +  0, HOGA_KRX_PHASE_CLOSED },
  {  8 * 60 + 30, HOGA_KRX_PHASE_PRE_MARKET },
  {  9 * 60 +  0, HOGA_KRX_PHASE_CONTINUOUS },
  { 15 * 60 + 20, HOGA_KRX_PHASE_CLOSING_AUCTION },
  { 15 * 60 + 30, HOGA_KRX_PHASE_POST_CLOSE },
  { 15 * 60 + 40, HOGA_KRX_PHASE_AFTER_HOURS_CLOSE },
  { 16 * 60 +  0, HOGA_KRX_PHASE_AFTER_HOURS_SINGLE },
  { 18 * 60 +  0, HOGA_KRX_PHASE_CLOSED },
};

gint64
hoga_krx_tick_size (gint64 price)
{
  for (guint i = 0; i < G_N_ELEMENTS (tick_bands); i++)
    {
      if (price < tick_bands[i].below)
        return tick_bands[i].tick;
    }
  g_assert_not_reached ();
}

gboolean
hoga_krx_is_on_grid (gint64 price)
{
  return price > 0 && price % hoga_krx_tick_size (price) == 0;
}

gint64
hoga_krx_round_down (gint64 price)
{
  g_return_val_if_fail (price > 0, 0);

  return price - price % hoga_krx_tick_size (price);
}

gint64
hoga_krx_round_up (gint64 price)
{
  gint64 tick;
  gint64 rest;

  g_return_val_if_fail (price > 0, 0);

  /* Every band edge is a multiple of the next band's tick, so rounding up inside the band
   * lands on a valid price even when it reaches the edge. */
  tick = hoga_krx_tick_size (price);
  rest = price % tick;
  return rest == 0 ? price : price + (tick - rest);
}

gint64
hoga_krx_add_ticks (gint64 price,
                    int    n_ticks)
{
  g_return_val_if_fail (price > 0, 0);

  price = n_ticks >= 0 ? hoga_krx_round_down (price) : hoga_krx_round_up (price);

  for (; n_ticks > 0; n_ticks--)
    price += hoga_krx_tick_size (price);

  /* Stepping down uses the tick of the band just below, so 2,000 - 1 tick = 1,999. */
  for (; n_ticks < 0 && price > 1; n_ticks++)
    price -= hoga_krx_tick_size (price - 1);

  return price;
}

gint64
hoga_krx_upper_limit (gint64 base_price)
{
  g_return_val_if_fail (base_price > 0, 0);

  return hoga_krx_round_down (base_price * (100 + HOGA_KRX_LIMIT_PERCENT) / 100);
}

gint64
hoga_krx_lower_limit (gint64 base_price)
{
  gint64 raw;

  g_return_val_if_fail (base_price > 0, 0);

  raw = (base_price * (100 - HOGA_KRX_LIMIT_PERCENT) + 99) / 100;
  return hoga_krx_round_up (MAX (raw, 1));
}

gint64
hoga_krx_clamp_to_limits (gint64 price,
                          gint64 base_price)
{
  return CLAMP (price, hoga_krx_lower_limit (base_price), hoga_krx_upper_limit (base_price));
}

GTimeZone *
hoga_krx_time_zone (void)
{
  static GTimeZone *kst;

  if (g_once_init_enter (&kst))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Asia/Seoul");

      if (tz == NULL)
        tz = g_time_zone_new_offset (9 * 60 * 60);
      g_once_init_leave (&kst, tz);
    }
  return kst;
}

GDateTime *
hoga_krx_now (void)
{
  return g_date_time_new_now (hoga_krx_time_zone ());
}

GDateTime *
hoga_krx_to_kst (GDateTime *when)
{
  g_return_val_if_fail (when != NULL, NULL);

  return g_date_time_to_timezone (when, hoga_krx_time_zone ());
}

/* Monday to Friday in Seoul. */
gboolean
hoga_krx_is_weekday (GDateTime *when)
{
  g_autoptr(GDateTime) kst = NULL;
  int dow;

  g_return_val_if_fail (when != NULL, FALSE);

  kst = hoga_krx_to_kst (when);
  dow = g_date_time_get_day_of_week (kst);
  return dow >= 1 && dow <= 5;
}

/* A weekday that is not a KRX holiday (data/krx-holidays.txt). */
gboolean
hoga_krx_is_trading_day (GDateTime *when)
{
  g_return_val_if_fail (when != NULL, FALSE);

  return hoga_holidays_is_trading_day (hoga_holidays_get_default (), when);
}

static guint
schedule_index_at (GDateTime *kst)
{
  guint minute = g_date_time_get_hour (kst) * 60 + g_date_time_get_minute (kst);
  guint found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (schedule); i++)
    {
      if (schedule[i].minute_of_day <= minute)
        found = i;
    }
  return found;
}

HogaKrxPhase
hoga_krx_phase_at (GDateTime *when)
{
  g_autoptr(GDateTime) kst = NULL;

  g_return_val_if_fail (when != NULL, HOGA_KRX_PHASE_CLOSED);

  kst = hoga_krx_to_kst (when);
  if (!hoga_krx_is_trading_day (kst))
    return HOGA_KRX_PHASE_CLOSED;
  return schedule[schedule_index_at (kst)].phase;
}

GDateTime *
hoga_krx_next_phase_change (GDateTime    *when,
                            HogaKrxPhase *next_phase)
{
  g_autoptr(GDateTime) kst = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  HogaKrxPhase current;

  g_return_val_if_fail (when != NULL, NULL);

  kst = hoga_krx_to_kst (when);
  current = hoga_krx_phase_at (kst);
  midnight = g_date_time_new (hoga_krx_time_zone (),
                              g_date_time_get_year (kst),
                              g_date_time_get_month (kst),
                              g_date_time_get_day_of_month (kst), 0, 0, 0);

  /* Scan forward minute boundaries of the schedule over the next 8 days (covers weekends
   * and a long holiday); the first boundary whose phase differs is the change. */
  for (guint day = 0; day < 8; day++)
    {
      g_autoptr(GDateTime) day_start = g_date_time_add_days (midnight, day);

      for (guint i = 0; i < G_N_ELEMENTS (schedule); i++)
        {
          g_autoptr(GDateTime) at = g_date_time_add_minutes (day_start,
                                                             schedule[i].minute_of_day);
          HogaKrxPhase phase;

          if (g_date_time_compare (at, kst) <= 0)
            continue;
          phase = hoga_krx_phase_at (at);
          if (phase != current)
            {
              if (next_phase != NULL)
                *next_phase = phase;
              return g_steal_pointer (&at);
            }
        }
    }
  g_assert_not_reached ();
}

gboolean
hoga_krx_phase_is_regular (HogaKrxPhase phase)
{
  return phase == HOGA_KRX_PHASE_CONTINUOUS || phase == HOGA_KRX_PHASE_CLOSING_AUCTION;
}

const char *
hoga_krx_phase_to_string (HogaKrxPhase phase)
{
  switch (phase)
    {
    case HOGA_KRX_PHASE_CLOSED:             return "closed";
    case HOGA_KRX_PHASE_PRE_MARKET:         return "pre-market";
    case HOGA_KRX_PHASE_CONTINUOUS:         return "continuous";
    case HOGA_KRX_PHASE_CLOSING_AUCTION:    return "closing-auction";
    case HOGA_KRX_PHASE_POST_CLOSE:         return "post-close";
    case HOGA_KRX_PHASE_AFTER_HOURS_CLOSE:  return "after-hours-close";
    case HOGA_KRX_PHASE_AFTER_HOURS_SINGLE: return "after-hours-single";
    default:                                return "unknown";
    }
}
