/* hoga-connection-test.h — try a profile's keys: issue a token, then revoke it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HOGA_CONNECTION_TEST_ERROR (hoga_connection_test_error_quark ())

typedef enum {
  HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST, /* the simulated profile, no URL or no keys */
  HOGA_CONNECTION_TEST_ERROR_REFUSED,         /* the server refused the keys */
  HOGA_CONNECTION_TEST_ERROR_UNREACHABLE,     /* no connection, or no answer in time */
  HOGA_CONNECTION_TEST_ERROR_FAILED,          /* busy, an unreadable answer, revoke failed */
} HogaConnectionTestError;

/* How long the whole test may take. */
#define HOGA_CONNECTION_TEST_TIMEOUT_S 15

GQuark       hoga_connection_test_error_quark  (void);

/* The REST base URL the test of @profile (a nick) talks to: the built-in server of "mock"
 * and "real", @custom_rest_url for "custom", NULL for "simulated" and unknown nicks. */
const char  *hoga_connection_test_get_rest_url (const char           *profile,
                                                const char           *custom_rest_url);

/* Requests an access token from @profile's REST server with the keys, then revokes it.
 * @rest_url is the custom profile's (see hoga_connection_test_get_rest_url()). The
 * error's message says in plain words what went wrong, with the broker's own message when
 * it refused. The keys are never logged. */
void         hoga_connection_test_async        (const char           *profile,
                                                const char           *rest_url,
                                                const char           *appkey,
                                                const char           *secretkey,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     hoga_connection_test_finish       (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
