/* hoga-engine.h — the orchestrator: conditions in, orders out, positions protected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine owns the models the UI binds (quotes, conditions, account, tracker, orders)
 * and wires the broker port's events through the entry and exit rules and the risk guard
 * into the order book, on the GLib main loop. It knows no GTK, libsoup, JSON or SQL: the
 * broker and the journal are ports given to it.
 */
#pragma once

#include <gio/gio.h>

#include "hoga-account.h"
#include "hoga-broker.h"
#include "hoga-condition-registry.h"
#include "hoga-journal.h"
#include "hoga-order-book.h"
#include "hoga-quote-book.h"
#include "hoga-risk-guard.h"
#include "hoga-settings.h"
#include "hoga-tracker.h"

G_BEGIN_DECLS

/* Now in Asia/Seoul (transfer full). The default is the wall clock; the headless and
 * desktop programs give the simulated profile the exchange's session clock instead. */
typedef GDateTime *(*HogaEngineClockFunc) (gpointer user_data);

#define HOGA_TYPE_ENGINE (hoga_engine_get_type ())
G_DECLARE_FINAL_TYPE (HogaEngine, hoga_engine, HOGA, ENGINE, GObject)

/* Properties:
 *   "auto-buy"   (gboolean, read-write) off at construction, whatever the settings say:
 *                the caller switches it on (headless: from its config; GUI: the user)
 *   "auto-sell"  (gboolean, read-write) from the settings
 *   "kill-tier"  (int, HogaKillTier, read-only)
 *   "running"    (gboolean, read-only) between a successful start and stop
 *   "buys-today" (guint, read-only) buys placed today (Asia/Seoul), across restarts
 * Signals:
 *   ::log (guint GLogLevelFlags, const char *code or NULL, const char *message)
 *       every decision and event worth a line in the event log / headless output
 *   ::problem (GError *) what the user must act on (kicked, auth refused, journal failing)
 */
HogaEngine         *hoga_engine_new                  (HogaBroker          *broker,
                                                      HogaJournal         *journal,
                                                      const HogaSettings  *settings);
void                hoga_engine_set_clock            (HogaEngine          *self,
                                                      HogaEngineClockFunc  func,
                                                      gpointer             user_data,
                                                      GDestroyNotify       destroy);
GDateTime          *hoga_engine_now                  (HogaEngine          *self);

/* Loads the journal (orders, tracked positions, today's state), starts the broker,
 * resolves the buy and sell conditions (by name, then by seq), arms them, reads the
 * account and reconciles open orders. Auto-sell resumes for tracked positions. */
void                hoga_engine_start_async          (HogaEngine          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            hoga_engine_start_finish         (HogaEngine          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Stops automation and the broker, waits for the journal's writes, closes it. */
void                hoga_engine_stop_async           (HogaEngine          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            hoga_engine_stop_finish          (HogaEngine          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

gboolean            hoga_engine_apply_settings       (HogaEngine          *self,
                                                      const HogaSettings  *settings,
                                                      GError             **error);
const HogaSettings *hoga_engine_get_settings         (HogaEngine          *self);

gboolean            hoga_engine_get_auto_buy         (HogaEngine          *self);
void                hoga_engine_set_auto_buy         (HogaEngine          *self,
                                                      gboolean             auto_buy);
gboolean            hoga_engine_get_auto_sell        (HogaEngine          *self);
void                hoga_engine_set_auto_sell        (HogaEngine          *self,
                                                      gboolean             auto_sell);

/* Tiers only go up through this call; flatten sells every position at market. */
void                hoga_engine_kill_switch          (HogaEngine          *self,
                                                      HogaKillTier         tier);
void                hoga_engine_reset_kill_switch    (HogaEngine          *self);
HogaKillTier        hoga_engine_get_kill_tier        (HogaEngine          *self);

/* The user's actions on a row. */
void                hoga_engine_sell_now             (HogaEngine          *self,
                                                      const char          *code);
void                hoga_engine_stop_tracking        (HogaEngine          *self,
                                                      const char          *code);
gboolean            hoga_engine_adopt                (HogaEngine          *self,
                                                      const char          *code,
                                                      GError             **error);

/* ---- the user's own orders (the order dialog, the orders frame's "cancel order") ---- */

#define HOGA_ENGINE_ERROR (hoga_engine_error_quark ())
GQuark hoga_engine_error_quark (void);

/* Why the user's order or cancel was refused; the message says what to change. Nothing
 * was sent for any of them except REJECTED (the broker said no). */
typedef enum {
  HOGA_ENGINE_ERROR_NOT_RUNNING,        /* before start, after stop */
  HOGA_ENGINE_ERROR_INVALID_CODE,       /* not a stock code */
  HOGA_ENGINE_ERROR_UNKNOWN_CODE,       /* the broker knows no stock of that code */
  HOGA_ENGINE_ERROR_INVALID_QUANTITY,
  HOGA_ENGINE_ERROR_INVALID_PRICE,      /* off the tick grid or outside the daily limits */
  HOGA_ENGINE_ERROR_NOT_ENOUGH_SHARES,  /* a sell of more than is sellable */
  HOGA_ENGINE_ERROR_BUSY,               /* another order of the symbol is in the way */
  HOGA_ENGINE_ERROR_KILL_SWITCH,        /* the kill switch's tier forbids it */
  HOGA_ENGINE_ERROR_REFUSED,            /* another pre-trade check of the risk guard */
  HOGA_ENGINE_ERROR_REJECTED,           /* sent, and rejected by the broker */
  HOGA_ENGINE_ERROR_NOT_WORKING,        /* cancel: no working order of that id */
} HogaEngineError;

/* The quote of @code from the quote book, or asked from the broker (ka10001, which adds
 * it to the book) when the book has no base price for it yet. */
void                hoga_engine_lookup_stock_async   (HogaEngine          *self,
                                                      const char          *code,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
HogaQuote          *hoga_engine_lookup_stock_finish  (HogaEngine          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Checks, journals and sends the user's order (reason "manual"): see hoga-engine.c,
 * "the user's orders", for the rules. @price is the limit price, 0 for market. */
void                hoga_engine_place_order_async    (HogaEngine          *self,
                                                      const char          *code,
                                                      HogaSide             side,
                                                      gint64               qty,
                                                      HogaOrderType        type,
                                                      gint64               price,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
HogaOrder          *hoga_engine_place_order_finish   (HogaEngine          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Asks the broker to cancel the unfilled part of the working order @order_id (the
 * journal's id, hoga_order_get_id()); the order turns CANCELLED when the broker confirms. */
gboolean            hoga_engine_cancel_order         (HogaEngine          *self,
                                                      gint64               order_id,
                                                      GError             **error);

HogaQuoteBook         *hoga_engine_get_quote_book         (HogaEngine *self);
HogaConditionRegistry *hoga_engine_get_condition_registry (HogaEngine *self);
HogaAccount           *hoga_engine_get_account            (HogaEngine *self);
HogaTracker           *hoga_engine_get_tracker            (HogaEngine *self);
HogaOrderBook         *hoga_engine_get_order_book         (HogaEngine *self);
/* For its "state" and "latency-us": the UI shows the connection. */
HogaBroker            *hoga_engine_get_broker             (HogaEngine *self);
guint                  hoga_engine_get_buys_today         (HogaEngine *self);

G_END_DECLS
