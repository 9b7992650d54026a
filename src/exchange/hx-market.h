/* hx-market.h — listed symbols and their price process on the KRX tick grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hx-clock.h"
#include "hx-types.h"

G_BEGIN_DECLS

#define HX_BOOK_LEVELS 10

typedef struct {
  gint64 ask[HX_BOOK_LEVELS];      /* ask[0] = best (lowest) ask */
  gint64 bid[HX_BOOK_LEVELS];      /* bid[0] = best (highest) bid */
  gint64 ask_qty[HX_BOOK_LEVELS];
  gint64 bid_qty[HX_BOOK_LEVELS];
  gint64 total_ask_qty;
  gint64 total_bid_qty;
} HxBook;

#define HX_TYPE_MARKET (hx_market_get_type ())
G_DECLARE_FINAL_TYPE (HxMarket, hx_market, HX, MARKET, GObject)

/* Signals:
 *   ::trade (gpointer const HxTrade *) — after the symbol's fields are updated.
 */
HxMarket   *hx_market_new              (HxClock      *clock,
                                        guint64       seed);
/* TSV rows: code \t name \t base price \t market \t yesterday's volume; '#' comments. */
gboolean    hx_market_load_symbols     (HxMarket     *self,
                                        GBytes       *tsv,
                                        GError      **error);
/* Adds generated symbols (codes 9xxxx0, names "시뮬종목 N") until there are @total. */
void        hx_market_add_generated    (HxMarket     *self,
                                        guint         total);
guint       hx_market_get_n_symbols    (HxMarket     *self);
HxSymbol   *hx_market_get_symbol       (HxMarket     *self,
                                        guint         index);
/* Accepts "005930", "A005930", "005930_NX", "005930_AL". */
HxSymbol   *hx_market_lookup           (HxMarket     *self,
                                        const char   *code);

/* Random walk: about @trades_per_second prints spread over the non-scripted symbols,
 * on the tick grid, inside the daily limits, with occasional volume bursts. Trades only
 * while hx_clock_is_trading(). */
void        hx_market_start            (HxMarket     *self,
                                        double        trades_per_second);
void        hx_market_stop             (HxMarket     *self);
/* Generates @n_prints random-walk prints at once, as the timer does (tests, benchmarks). */
void        hx_market_walk             (HxMarket     *self,
                                        guint         n_prints);
gboolean    hx_market_is_running       (HxMarket     *self);

/* One trade print at @price (snapped to the grid and clamped to the limits) of @qty
 * (signed). Used by the random walk and by test scripting. */
void        hx_market_trade            (HxMarket     *self,
                                        HxSymbol     *symbol,
                                        gint64        price,
                                        gint64        qty);
/* Trades @prices one after another every @interval_ms, marking the symbol scripted. */
void        hx_market_play_path        (HxMarket     *self,
                                        HxSymbol     *symbol,
                                        const gint64 *prices,
                                        guint         n_prices,
                                        gint64        qty,
                                        guint         interval_ms);
void        hx_market_set_scripted     (HxMarket     *self,
                                        HxSymbol     *symbol,
                                        gboolean      scripted);

/* The 10-level book around the symbol's last price (deterministic for a given state). */
void        hx_market_get_book         (HxMarket     *self,
                                        const HxSymbol *symbol,
                                        HxBook       *book);
/* Current price for valuation: last trade, or the base price before the first trade. */
gint64      hx_symbol_current_price    (const HxSymbol *symbol);

/* Deterministic daily history for ka10081, newest first, ending at @yyyymmdd (trading
 * days only). Each row: date, open, high, low, close, volume. */
typedef struct {
  char   date[9];
  gint64 open, high, low, close, volume, value_million;
} HxDailyBar;

GArray     *hx_market_daily_bars       (HxMarket     *self,
                                        const HxSymbol *symbol,
                                        const char   *yyyymmdd,
                                        guint         max_rows);

G_END_DECLS
