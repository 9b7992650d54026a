/* hx-ws.h — the WebSocket server: LOGIN, PING, REG/REMOVE, REAL pushes, CNSR*
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "hx-exchange.h"

G_BEGIN_DECLS

#define HX_TYPE_WS (hx_ws_get_type ())
G_DECLARE_FINAL_TYPE (HxWs, hx_ws, HX, WS, GObject)

/* Kinds of malformed frame for hx_ws_inject_malformed(). */
#define HX_MALFORMED_KINDS "truncated", "not-json", "wrong-types", "unknown-type", "huge", \
                           "binary", "empty-data", "missing-values"

HxWs        *hx_ws_new               (HxExchange  *exchange);
/* Listens on 127.0.0.1:@port (0 = any); the path is /api/dostk/websocket. */
gboolean     hx_ws_listen            (HxWs        *self,
                                      guint16      port,
                                      GError     **error);
/* "ws://127.0.0.1:PORT/api/dostk/websocket" */
char        *hx_ws_get_url           (HxWs        *self);
guint        hx_ws_get_n_sessions    (HxWs        *self);   /* open connections */
guint        hx_ws_get_n_logged_in   (HxWs        *self);

/* Faults and scripting (all sessions). */
void         hx_ws_drop_all          (HxWs        *self);   /* abrupt TCP close, no close frame */
void         hx_ws_kick_all          (HxWs        *self);   /* SYSTEM R10001, then close */
gboolean     hx_ws_inject_malformed  (HxWs        *self,
                                      const char  *kind,
                                      GError     **error);
/* Pushes a 0s frame (FID 215 = @code) to sessions registered for 0s. */
void         hx_ws_push_session_event(HxWs        *self,
                                      const char  *code);
/* Flood: @count 0B frames for @code to every logged-in session, as fast as each socket
 * takes them (the next batch is queued only when the socket is writable again). */
void         hx_ws_flood             (HxWs        *self,
                                      const char  *code,
                                      guint64      count);

G_END_DECLS
