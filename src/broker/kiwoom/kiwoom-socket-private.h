/* kiwoom-socket-private.h — what the tests and fuzzers reach inside KiwoomSocket: a session
 * driven frame by frame over a connection they made, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "kiwoom-socket.h"

G_BEGIN_DECLS

/* As if the connection attempt of the started socket had just succeeded with @conn (open,
 * on any stream): the current connection is dropped, a pending attempt or reconnect is
 * given up, and LOGIN goes out on @conn. The socket takes a reference. */
void      kiwoom_socket_attach_for_testing   (KiwoomSocket            *self,
                                              SoupWebsocketConnection *conn);
/* Handles @message as if it had arrived on the current connection; FALSE (and nothing
 * done) when there is none. */
gboolean  kiwoom_socket_receive_for_testing  (KiwoomSocket            *self,
                                              SoupWebsocketDataType    type,
                                              GBytes                  *message);
/* Times out the oldest request waiting for its reply; FALSE when none is. */
gboolean  kiwoom_socket_expire_for_testing   (KiwoomSocket            *self);
/* Checks, with g_assert(), that the connection state, the requests in flight, the REG
 * groups and the conditions agree with each other. */
void      kiwoom_socket_assert_consistent    (KiwoomSocket            *self);

G_END_DECLS
