/* hoga-sim-exchange.h — the simulated profile's own hoga-exchange, spawned on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The exchange accepts any key pair: these only make the client's requests well formed.
 * They are not secrets. */
#define HOGA_SIM_EXCHANGE_APPKEY    "hoga-simulated-appkey"
#define HOGA_SIM_EXCHANGE_SECRETKEY "hoga-simulated-secretkey"

#define HOGA_TYPE_SIM_EXCHANGE (hoga_sim_exchange_get_type ())
G_DECLARE_FINAL_TYPE (HogaSimExchange, hoga_sim_exchange, HOGA, SIM_EXCHANGE, GObject)

/* Signals:
 *   ::exited (const char *reason) the exchange ended on its own after it was ready
 */

/* $HOGA_EXCHANGE; else next to the running program (../exchange/hoga-exchange from
 * src/hoga/ in the build tree, or the same directory when installed); else
 * LIBEXECDIR/hoga-exchange; else hoga-exchange on PATH. */
char            *hoga_sim_exchange_find_program  (GError           **error);

HogaSimExchange *hoga_sim_exchange_new           (const char        *program);

/* Spawns the exchange with the KRX session clock started at 09:00:05 KST of the latest
 * trading day (today when the market opens today), so its session is open whatever the
 * real time, and waits for its ready line. */
void             hoga_sim_exchange_start_async   (HogaSimExchange   *self,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
gboolean         hoga_sim_exchange_start_finish  (HogaSimExchange   *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);
const char      *hoga_sim_exchange_get_rest_url  (HogaSimExchange   *self);
const char      *hoga_sim_exchange_get_ws_url    (HogaSimExchange   *self);
/* The exchange’s session clock in Asia/Seoul: real time plus the offset it started with. */
GDateTime       *hoga_sim_exchange_now           (HogaSimExchange   *self);
/* Asks the exchange to shut down (SIGTERM) without waiting; also done on dispose. */
void             hoga_sim_exchange_terminate     (HogaSimExchange   *self);

G_END_DECLS
