/* hoga-risk-guard.h — pre-trade checks, the daily loss limit and the kill switch tiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions: the engine passes the limits, the account's state and the order, and
 * gets a verdict it must obey before anything is journaled or sent. Money is KRW, rates
 * are basis points; nothing here uses floating point.
 */
#pragma once

#include "hoga-broker.h"

G_BEGIN_DECLS

/* Kill switch tiers, each including the ones before it. */
typedef enum {
  HOGA_KILL_NONE,
  HOGA_KILL_STOP_BUYING,    /* 1: no new buys; exits keep protecting positions */
  HOGA_KILL_STOP_ALL,       /* 2: no automated orders at all; working orders cancelled */
  HOGA_KILL_FLATTEN,        /* 3: as 2, and every position sold at market */
} HogaKillTier;

/* Who wants the order: the rules differ for the user's own and the kill switch's. */
typedef enum {
  HOGA_ORDER_ORIGIN_AUTOMATED,  /* entry or exit rules */
  HOGA_ORDER_ORIGIN_MANUAL,     /* the user, from the order dialog or a context menu */
  HOGA_ORDER_ORIGIN_FLATTEN,    /* kill switch tier 3 or a daily-loss flatten */
} HogaOrderOrigin;

typedef struct {
  gint64   max_order_value;      /* KRW per order, 0 = no limit */
  gint32   price_band_bp;        /* a limit price within ± this of the last trade; 0 = off */
  guint    max_positions;        /* 0 = no limit */
  guint    max_buys_per_day;     /* 0 = no limit; 1 is the seed's one buy a day */
  gint32   daily_loss_limit_bp;  /* stop buying at this loss of start-of-day equity; 0 = off */
  gboolean flatten_on_daily_loss;
} HogaRiskLimits;

typedef struct {
  gint64       orderable_cash;   /* 주문가능금액, after working buys */
  gint64       start_equity;     /* start-of-day equity; 0 = unknown */
  gint64       realized_pnl;     /* today, net of every fee and tax paid today (buys' too) */
  gint64       unrealized_pnl;   /* open positions at the last prices, gross */
  guint        open_positions;   /* tracked positions plus buys in flight */
  guint        buys_today;
  HogaKillTier kill_tier;
} HogaRiskState;

typedef struct {
  HogaSide        side;
  HogaOrderType   type;
  HogaOrderOrigin origin;
  gint64          qty;
  gint64          price;         /* limit price; ignored for market orders */
  gint64          last_price;    /* last trade; 0 = none known */
  gint64          base_price;    /* 기준가, for the daily limits; 0 = unknown */
} HogaRiskOrder;

/* Why an order may not go out. Values after OK are refusals, most fundamental first. */
typedef enum {
  HOGA_RISK_OK,
  HOGA_RISK_BAD_QUANTITY,        /* qty ≤ 0 */
  HOGA_RISK_KILL_SWITCH,         /* the kill switch tier forbids it */
  HOGA_RISK_DAILY_LOSS,          /* the daily loss limit is reached: no buys */
  HOGA_RISK_NO_PRICE,            /* no last price, and the order needs one to be valued */
  HOGA_RISK_OUTSIDE_LIMITS,      /* off the tick grid or outside the ±30 % daily limits */
  HOGA_RISK_PRICE_BAND,          /* too far from the last trade */
  HOGA_RISK_MAX_ORDER_VALUE,
  HOGA_RISK_NO_CASH,
  HOGA_RISK_MAX_POSITIONS,
  HOGA_RISK_MAX_BUYS,
} HogaRiskVerdict;

/* Today's P&L (realized + unrealized) against start-of-day equity, in basis points,
 * truncated toward zero; 0 when the start equity is unknown. */
gint64          hoga_risk_daily_pnl_bp        (const HogaRiskState  *state);
/* TRUE once the loss reaches the limit (a loss exactly at the limit counts). */
gboolean        hoga_risk_daily_loss_reached  (const HogaRiskLimits *limits,
                                               const HogaRiskState  *state);
/* The tier the daily loss limit asks for: STOP_BUYING, or FLATTEN when so configured. */
HogaKillTier    hoga_risk_daily_loss_tier     (const HogaRiskLimits *limits,
                                               const HogaRiskState  *state);

/* May the entry rules buy at all right now? (kill switch, daily loss, buys today,
 * positions) — the yes/no the entry rules take as their risk verdict. */
HogaRiskVerdict hoga_risk_may_buy             (const HogaRiskLimits *limits,
                                               const HogaRiskState  *state);
/* The full pre-trade check of one order. */
HogaRiskVerdict hoga_risk_check_order         (const HogaRiskLimits *limits,
                                               const HogaRiskState  *state,
                                               const HogaRiskOrder  *order);

const char     *hoga_risk_verdict_to_string   (HogaRiskVerdict       verdict);
const char     *hoga_kill_tier_to_string      (HogaKillTier          tier);

G_END_DECLS
