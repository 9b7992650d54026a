/* hoga-connection-test.c — try a profile's keys: issue a token, then revoke it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences' "Test Connection": the cheapest request that proves the keys work is
 * au10001 (issue a token). The token is revoked straight away (au10002) so that the test
 * leaves no live token behind. Nothing else is asked of the server.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-connection-test.h"
#include "kiwoom-rest.h"

/* DESIGN.md §3; the same endpoints as hoga-headless.c. */
#define MOCK_REST_URL "https://mockapi.kiwoom.com"
#define REAL_REST_URL "https://api.kiwoom.com"

typedef struct {
  KiwoomRest   *rest;
  char         *rest_url;
  char         *appkey;
  char         *secretkey;
  GCancellable *cancellable;   /* ours: the caller's cancellable and the timeout cancel it */
  gulong        cancelled_id;
  guint         timeout_id;
  gboolean      timed_out;
  gboolean      finished;
} Test;

G_DEFINE_QUARK (hoga-connection-test-error-quark, hoga_connection_test_error)

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  for (volatile char *p = secret; *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
}

static void
test_free (Test *test)
{
  g_assert (test->timeout_id == 0 && test->cancelled_id == 0);

  g_clear_object (&test->rest);
  g_clear_object (&test->cancellable);
  g_free (test->rest_url);
  g_clear_pointer (&test->appkey, wipe_free);
  g_clear_pointer (&test->secretkey, wipe_free);
  g_free (test);
}

/* Every outcome ends here: the timeout and the caller's cancellable hold the task until
 * they are let go of. */
static void
finish (GTask  *task,
        GError *error)
{
  Test *test = g_task_get_task_data (task);

  test->finished = TRUE;
  g_clear_handle_id (&test->timeout_id, g_source_remove);
  if (test->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), test->cancelled_id);
      test->cancelled_id = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Plain words for the user, with the broker's or the network's own message last. */
static GError *
describe_error (Test         *test,
                const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!test->timed_out)
        return g_error_copy (error);
      return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_UNREACHABLE,
                          /* Translators: the REST URL, then a number of seconds */
                          _("%s did not answer within %u seconds. Check the network "
                            "connection and the URL."),
                          test->rest_url, HOGA_CONNECTION_TEST_TIMEOUT_S);
    }

  if (error->domain != HOGA_BROKER_ERROR)
    return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED,
                        "%s", error->message);

  switch (error->code)
    {
    case HOGA_BROKER_ERROR_AUTH:
      return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_REFUSED,
                          /* Translators: the broker's message (often Korean) */
                          _("The server refused the app key and secret key. Check that "
                            "both were copied in full and belong to this profile "
                            "(mock and real trading have different keys). The server "
                            "said: %s"),
                          error->message);

    case HOGA_BROKER_ERROR_NETWORK:
      return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_UNREACHABLE,
                          /* Translators: the REST URL, then the network error */
                          _("Cannot reach %s. Check the network connection and the URL. "
                            "(%s)"),
                          test->rest_url, error->message);

    case HOGA_BROKER_ERROR_RATE_LIMITED:
      return g_error_new_literal (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED,
                                  _("The server is busy (too many requests). Try again in "
                                    "a minute."));

    case HOGA_BROKER_ERROR_PROTOCOL:
      return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED,
                          /* Translators: the REST URL, then what was wrong */
                          _("%s did not answer like a Kiwoom REST server. Check the URL. "
                            "(%s)"),
                          test->rest_url, error->message);

    default:
      return g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED,
                          /* Translators: the broker's message */
                          _("The server refused the request: %s"), error->message);
    }
}

/* The outcome is given at once. A revoke request stops with the cancellable; a token
 * request cannot be stopped from outside KiwoomRest (closing it while the request is out
 * is not safe), so it is left to end by itself and its answer is then ignored. */
static void
stop (GTask *task)
{
  g_autoptr(GTask) keep G_GNUC_UNUSED = g_object_ref (task);
  Test *test = g_task_get_task_data (task);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "The connection test was cancelled");

  if (test->finished)
    return;
  finish (task, describe_error (test, error));
  g_cancellable_cancel (test->cancellable);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Test *test = g_task_get_task_data (task);

  test->timeout_id = 0;
  test->timed_out = TRUE;
  stop (task);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  stop (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

/* Not stop() here: the request's callback could then run, and disconnect this handler,
 * from inside g_cancellable_cancel(), which deadlocks. */
static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, stop_idle_cb, g_object_ref (user_data), g_object_unref);
}

static void
revoke_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Test *test = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) described = NULL;

  reply = kiwoom_rest_call_finish (KIWOOM_REST (source), result, &error);
  if (test->finished)
    return;
  if (reply != NULL)
    {
      finish (task, NULL);
      return;
    }

  described = describe_error (test, error);
  if (described->domain != HOGA_CONNECTION_TEST_ERROR)
    {
      finish (task, g_steal_pointer (&described));
      return;
    }
  finish (task, g_error_new (HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED,
                             /* Translators: why revoking failed */
                             _("The keys were accepted, but the test token could not be "
                               "revoked: %s"),
                             described->message));
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Test *test = g_task_get_task_data (task);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  token = kiwoom_rest_get_token_finish (KIWOOM_REST (source), result, &error);
  if (test->finished)
    {
      wipe_free (token);
      return;
    }
  if (token == NULL)
    {
      finish (task, describe_error (test, error));
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "appkey", test->appkey);
  json_object_set_string_member (body, "secretkey", test->secretkey);
  json_object_set_string_member (body, "token", token);
  wipe_free (token);

  kiwoom_rest_call_async (test->rest, "au10002", "/oauth2/revoke", body, NULL, 0,
                          KIWOOM_CALL_NONE, test->cancellable, revoke_cb,
                          g_steal_pointer (&task));
}

const char *
hoga_connection_test_get_rest_url (const char *profile,
                                   const char *custom_rest_url)
{
  g_return_val_if_fail (profile != NULL, NULL);

  if (g_str_equal (profile, "mock"))
    return MOCK_REST_URL;
  if (g_str_equal (profile, "real"))
    return REAL_REST_URL;
  if (g_str_equal (profile, "custom"))
    return custom_rest_url;
  return NULL;
}

/**
 * hoga_connection_test_async:
 * @profile: the profile's nick
 * @rest_url: (nullable): the custom profile's REST base URL
 * @appkey: the app key
 * @secretkey: the secret key
 * @cancellable: (nullable): a cancellable
 * @callback: called when the test is over
 * @user_data: for @callback
 */
void
hoga_connection_test_async (const char          *profile,
                            const char          *rest_url,
                            const char          *appkey,
                            const char          *secretkey,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *url;
  Test *test;

  g_return_if_fail (profile != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_connection_test_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_str_equal (profile, "simulated"))
    {
      g_task_return_new_error (task, HOGA_CONNECTION_TEST_ERROR,
                               HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST,
                               _("The simulated exchange runs on this computer and needs "
                                 "no keys: there is nothing to test."));
      return;
    }
  if (!g_str_equal (profile, "mock") && !g_str_equal (profile, "real")
      && !g_str_equal (profile, "custom"))
    {
      g_task_return_new_error (task, HOGA_CONNECTION_TEST_ERROR,
                               HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST,
                               /* Translators: a profile's name, not translated */
                               _("There is no server to test for the profile “%s”."),
                               profile);
      return;
    }
  url = hoga_connection_test_get_rest_url (profile, rest_url);
  if (url == NULL || *url == '\0')
    {
      g_task_return_new_error (task, HOGA_CONNECTION_TEST_ERROR,
                               HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST,
                               _("Enter the custom profile’s REST URL first."));
      return;
    }
  if (appkey == NULL || *appkey == '\0' || secretkey == NULL || *secretkey == '\0')
    {
      g_task_return_new_error (task, HOGA_CONNECTION_TEST_ERROR,
                               HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST,
                               _("Enter both the app key and the secret key first."));
      return;
    }

  test = g_new0 (Test, 1);
  test->rest_url = g_strdup (url);
  test->appkey = g_strdup (appkey);
  test->secretkey = g_strdup (secretkey);
  test->rest = kiwoom_rest_new (url, appkey, secretkey);
  test->cancellable = g_cancellable_new ();
  kiwoom_rest_set_timeout (test->rest, HOGA_CONNECTION_TEST_TIMEOUT_S);
  g_task_set_task_data (task, test, (GDestroyNotify) test_free);

  test->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                 HOGA_CONNECTION_TEST_TIMEOUT_S, timeout_cb,
                                                 g_object_ref (task), g_object_unref);
  if (cancellable != NULL)
    test->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                task, NULL);

  g_debug ("Testing the keys of profile %s against %s", profile, url);
  kiwoom_rest_get_token_async (test->rest, test->cancellable, token_cb, g_object_ref (task));
}

gboolean
hoga_connection_test_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
