/* hoga-krx.h — KRX market rules: tick grid, daily limits, session schedule (Asia/Seoul)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Phases of one KRX trading day (KST), from the 2023 schedule. */
typedef enum {
  HOGA_KRX_PHASE_CLOSED,             /* night, weekend, holiday */
  HOGA_KRX_PHASE_PRE_MARKET,         /* 08:30–09:00 장전 시간외 / 시가 동시호가 */
  HOGA_KRX_PHASE_CONTINUOUS,         /* 09:00–15:20 정규장 접속매매 */
  HOGA_KRX_PHASE_CLOSING_AUCTION,    /* 15:20–15:30 장마감 동시호가 */
  HOGA_KRX_PHASE_POST_CLOSE,         /* 15:30–15:40 between the close and after-hours */
  HOGA_KRX_PHASE_AFTER_HOURS_CLOSE,  /* 15:40–16:00 장후 시간외 종가 */
  HOGA_KRX_PHASE_AFTER_HOURS_SINGLE, /* 16:00–18:00 시간외 단일가 */
} HogaKrxPhase;

#define HOGA_KRX_LIMIT_PERCENT 30

gint64        hoga_krx_tick_size        (gint64        price);
gboolean      hoga_krx_is_on_grid       (gint64        price);
gint64        hoga_krx_round_down       (gint64        price);
gint64        hoga_krx_round_up         (gint64        price);
gint64        hoga_krx_add_ticks        (gint64        price,
                                         int           n_ticks);
gint64        hoga_krx_upper_limit      (gint64        base_price);
gint64        hoga_krx_lower_limit      (gint64        base_price);
gint64        hoga_krx_clamp_to_limits  (gint64        price,
                                         gint64        base_price);

GTimeZone    *hoga_krx_time_zone        (void);
GDateTime    *hoga_krx_now              (void);
GDateTime    *hoga_krx_to_kst           (GDateTime    *when);
gboolean      hoga_krx_is_weekday       (GDateTime    *when);
HogaKrxPhase  hoga_krx_phase_at         (GDateTime    *when);
GDateTime    *hoga_krx_next_phase_change(GDateTime    *when,
                                         HogaKrxPhase *next_phase);
gboolean      hoga_krx_is_trading_day   (GDateTime    *when);
gboolean      hoga_krx_phase_is_regular (HogaKrxPhase  phase);
const char   *hoga_krx_phase_to_string  (HogaKrxPhase  phase);

G_END_DECLS
