/* kiwoom-socket.h — the Kiwoom WebSocket session: LOGIN, PING echo, REG/REMOVE groups,
 * condition searches (CNSR*), watchdog, reconnect and re-arm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "kiwoom-rest.h"

G_BEGIN_DECLS

/* Counters, for tests and diagnostics. */
typedef struct {
  guint64 frames;            /* every frame received */
  guint64 entries;           /* REAL entries delivered as events */
  guint64 malformed;         /* binary frames, frames that are not a JSON object */
  guint64 rejected;          /* REAL entries the scanner refused (wrong shape or types) */
  guint64 unknown;           /* REAL entries of a type this socket does not handle */
  guint64 unexpected;        /* control frames nobody asked for or of an unknown shape */
  guint64 pings;             /* server PINGs echoed */
  guint   connects;          /* WebSocket connections established */
  guint   logins;            /* LOGIN acks with return_code 0 */
  guint   login_failures;    /* LOGIN refused */
  guint   watchdog_timeouts; /* connections given up because no frame came */
  guint   login_timeouts;    /* connections given up because LOGIN was not answered */
  guint   reg_sent;          /* REG messages */
  guint   reg_acked;         /* REG acks with return_code 0 */
  guint   reg_failed;        /* REG refused or not answered */
  guint   remove_sent;       /* REMOVE messages */
} KiwoomSocketStats;

#define KIWOOM_TYPE_SOCKET (kiwoom_socket_get_type ())
G_DECLARE_FINAL_TYPE (KiwoomSocket, kiwoom_socket, KIWOOM, SOCKET, GObject)

/* Properties
 *   "ws-url" (string, construct-only)  "wss://api.kiwoom.com:10000/api/dostk/websocket"
 *   "rest" (KiwoomRest, construct-only) issues the LOGIN token
 *   "types" (GStrv, construct-only)    realtime types registered per code; 0B and 0D
 *   "state" (int, HogaConnectionState, read-only)
 *   "latency-us" (gint64, read-only)   smoothed request → reply round trip of LOGIN, REG,
 *                                      REMOVE and CNSR*; -1 before the first reply
 *   "watchdog-ms" (uint)               no frame at all for this long → reconnect; 30000
 *   "login-timeout-ms" (uint)          no LOGIN ack for this long → reconnect at once;
 *                                      after 10 of those in a row, the watchdog and the
 *                                      backoff apply instead; 2000
 *   "backoff-min-ms", "backoff-max-ms" (uint) reconnect delays, doubled per failed try,
 *                                      with jitter; 500 and 30000
 *   "group-size" (uint)                codes per REG group (grp_no); 100
 *   "max-conditions" (uint)            realtime conditions at once; 10
 *
 * Signals: the realtime events of the broker port (HogaBroker), with the same names and
 * arguments: ::tick, ::depth, ::condition-event, ::order-event, ::balance-event,
 * ::session-event (by pointer, valid only during emission); ::condition-event also for
 * the differences found when a condition is re-armed (from_snapshot TRUE); ::rearmed
 * after a reconnect once every REG group and active condition is back; ::problem
 * (GError*, HOGA_BROKER_ERROR) for what the user must know: KICKED (R10001, the socket
 * goes offline), AUTH (token refused twice, offline), REJECTED (a REG refused, a
 * condition lost at re-arm), NETWORK (the server ended the session: R10002, R10004).
 *
 * The socket keeps what is wanted (codes, active conditions and their members) across
 * reconnects and across stop() / start(). */
KiwoomSocket        *kiwoom_socket_new                    (const char          *ws_url,
                                                           KiwoomRest          *rest);

/* Connects, logs in and stays connected (reconnecting with back-off) until stop(), an
 * R10001 kick, or a token the server refuses twice. */
void                 kiwoom_socket_start                  (KiwoomSocket        *self);
/* Closes cleanly, fails pending requests, cancels every retry. */
void                 kiwoom_socket_stop                   (KiwoomSocket        *self);
HogaConnectionState  kiwoom_socket_get_state              (KiwoomSocket        *self);
gint64               kiwoom_socket_get_latency_us         (KiwoomSocket        *self);
void                 kiwoom_socket_get_stats              (KiwoomSocket        *self,
                                                           KiwoomSocketStats   *stats);

/* Adds codes to (removes them from) the wanted set; codes are normalised (A prefix,
 * _NX/_AL suffix). Online, the new codes are REGistered (REMOVEd) at once, per group. */
void                 kiwoom_socket_subscribe              (KiwoomSocket        *self,
                                                           const char * const  *codes);
void                 kiwoom_socket_unsubscribe            (KiwoomSocket        *self,
                                                           const char * const  *codes);
/* The wanted codes, sorted. */
char               **kiwoom_socket_dup_subscriptions      (KiwoomSocket        *self);

/* CNSRLST. Returns HogaConditionInfo* (g_free each) in the server's order. */
void                 kiwoom_socket_list_conditions_async  (KiwoomSocket        *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GPtrArray           *kiwoom_socket_list_conditions_finish (KiwoomSocket        *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* CNSRREQ search_type 1 (after an implicit CNSRLST when this connection has not had one).
 * Returns the snapshot members, normalised; starting an active condition returns its
 * current members. Errors (HOGA_BROKER_ERROR): NOT_CONNECTED before the LOGIN ack or when
 * the connection is lost meanwhile (also for the list), INVALID beyond max-conditions,
 * REJECTED with the broker's return_msg. */
void                 kiwoom_socket_start_condition_async  (KiwoomSocket        *self,
                                                           const char          *seq,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char               **kiwoom_socket_start_condition_finish (KiwoomSocket        *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* CNSRCLR; forgets the condition and its members. */
void                 kiwoom_socket_stop_condition         (KiwoomSocket        *self,
                                                           const char          *seq);
/* The known members of an active condition, sorted; NULL when it is not active. */
char               **kiwoom_socket_dup_condition_members  (KiwoomSocket        *self,
                                                           const char          *seq);

G_END_DECLS
