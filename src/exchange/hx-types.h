/* hx-types.h — shared plain types and the error domain of hoga-exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _HxExchange HxExchange;

/* Errors carry the documented Kiwoom code (1511, 1700, 1902, 8005 …) as GError code, or
 * HX_ERROR_BUSINESS (2000) for order rejections whose message is the "RCxxxx:…" text. */
#define HX_ERROR (hx_error_quark ())
GQuark hx_error_quark (void);

enum {
  HX_ERROR_BUSINESS = 2000,
};

#define HX_CODE_LEN 6            /* "005930" */

/* The simulated account's number (FID 9201, ka10075 acnt_no). */
#define HX_ACCOUNT_NO "5000000011"

/* FID 907 values: 1 매도, 2 매수. */
typedef enum {
  HX_SIDE_SELL = 1,
  HX_SIDE_BUY = 2,
} HxSide;

#define HX_RECENT_TICKS 32

/* One listed symbol. Owned by HxMarket; pointers stay valid for the market's life. */
typedef struct {
  char    code[HX_CODE_LEN + 1];
  char   *name;
  char   *market_name;       /* "KOSPI" / "KOSDAQ" */
  guint   index;             /* position in the market */

  gint64  base_price;        /* 기준가 (yesterday's close) */
  gint64  upper_limit;
  gint64  lower_limit;
  gint64  prev_volume;       /* yesterday's volume, for FID 26 / 30 */

  gint64  last;              /* 0 until the first trade of the day */
  gint64  open;
  gint64  high;
  gint64  low;
  gint64  best_ask;
  gint64  best_bid;
  gint64  cum_volume;        /* shares */
  gint64  cum_value;         /* KRW */
  guint64 n_trades;

  /* ring of the most recent trades (newest at recent_pos - 1) for conditions */
  gint64  recent_qty[HX_RECENT_TICKS];     /* absolute tick sizes */
  gint64  recent_price[HX_RECENT_TICKS];
  guint   recent_pos;
  guint   recent_len;

  gboolean scripted;         /* excluded from the random walk */
} HxSymbol;

/* One trade print, as delivered by HxMarket::trade. */
typedef struct {
  HxSymbol *symbol;
  gint64    price;
  gint64    qty;             /* signed: + buy-initiated, - sell-initiated */
  char      hhmmss[7];       /* session-clock time, KST */
} HxTrade;

G_END_DECLS
