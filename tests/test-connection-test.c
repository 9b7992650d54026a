/* test-connection-test.c — the preferences' "Test Connection": issue a token, revoke it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against hoga-exchange for the real exchange of requests, and against a small SoupServer
 * for the answers hoga-exchange never gives (a refused key pair, a server that is not
 * Kiwoom's). Everything listens on 127.0.0.1; the mock and real servers are never
 * contacted.
 */
#include "config.h"

#include <string.h>

#include "hoga-connection-test.h"
#include "hx-test-fixture.h"

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_error (&outcome->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
test_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = hoga_connection_test_finish (result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
outcome_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static void
run_test (const char   *profile,
          const char   *rest_url,
          const char   *appkey,
          const char   *secretkey,
          GCancellable *cancellable,
          Outcome      *outcome)
{
  hoga_connection_test_async (profile, rest_url, appkey, secretkey, cancellable,
                              test_done_cb, outcome);
  if (!hx_iterate_until (outcome_done, outcome, (HOGA_CONNECTION_TEST_TIMEOUT_S + 10) * 1000))
    hx_fail ("the connection test did not finish");
  g_assert_true (outcome->ok == (outcome->error == NULL));
}

/* ---------------------------------------------------------------------------------- */
/* A fake Kiwoom REST server                                                            */

typedef enum {
  FAKE_ACCEPT,          /* issues a token and accepts its revocation */
  FAKE_REFUSE_KEYS,     /* au10001 answers 8001 */
  FAKE_REFUSE_REVOKE,   /* au10002 answers a server error */
  FAKE_NOT_KIWOOM,      /* an HTML page for everything */
} FakeMode;

typedef struct {
  SoupServer *server;
  char       *url;
  FakeMode    mode;
  guint       n_token;
  guint       n_revoke;
  char       *revoke_api_id;
  JsonObject *revoke_body;
} Fake;

#define FAKE_TOKEN "fake-token-0123456789"

static void
reply_json (SoupServerMessage *msg,
            const char        *text)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (fake->mode == FAKE_NOT_KIWOOM)
    {
      static const char page[] = "<html><body>It works!</body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        page, strlen (page));
      return;
    }

  if (g_str_equal (path, "/oauth2/token"))
    {
      g_autoptr(GTimeZone) kst = g_time_zone_new_identifier ("+09:00");
      g_autoptr(GDateTime) now = g_date_time_new_now (kst);
      g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
      g_autofree char *expires = g_date_time_format (tomorrow, "%Y%m%d%H%M%S");
      g_autofree char *text = NULL;

      fake->n_token++;
      if (fake->mode == FAKE_REFUSE_KEYS)
        {
          reply_json (msg, "{\"return_code\":3,\"return_msg\":\"인증에 실패했습니다"
                           "[8001:App Key와 Secret Key 검증에 실패했습니다]\"}");
          return;
        }
      text = g_strdup_printf ("{\"expires_dt\":\"%s\",\"token_type\":\"bearer\","
                              "\"token\":\"" FAKE_TOKEN "\",\"return_code\":0,"
                              "\"return_msg\":\"정상적으로 처리되었습니다\"}", expires);
      reply_json (msg, text);
      return;
    }

  if (g_str_equal (path, "/oauth2/revoke"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      fake->n_revoke++;
      g_clear_pointer (&fake->revoke_api_id, g_free);
      fake->revoke_api_id = g_strdup (soup_message_headers_get_one (
        soup_server_message_get_request_headers (msg), "api-id"));
      g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
      g_clear_pointer (&fake->revoke_body, json_object_unref);
      fake->revoke_body = json_object_ref (json_node_get_object (json_parser_get_root (parser)));

      if (fake->mode == FAKE_REFUSE_REVOKE)
        reply_json (msg, "{\"return_code\":1,\"return_msg\":\"[1999:일시적인 오류입니다]\"}");
      else
        reply_json (msg, "{\"return_code\":0,\"return_msg\":\"정상적으로 처리되었습니다\"}");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static Fake *
fake_start (FakeMode mode)
{
  Fake *fake = g_new0 (Fake, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->mode = mode;
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);
  g_assert_cmpstr (g_uri_get_host (uris->data), ==, "127.0.0.1");
  fake->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake;
}

static void
fake_free (Fake *fake)
{
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_clear_pointer (&fake->revoke_body, json_object_unref);
  g_free (fake->revoke_api_id);
  g_free (fake->url);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

/* ---------------------------------------------------------------------------------- */
/* hoga-exchange                                                                        */

static void
test_exchange_accepts (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_auto(Outcome) outcome = { 0 };

  run_test ("custom", server->rest_url, "test-appkey", "test-secretkey", NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);

  hx_server_stop (server);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_exchange_cancel (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };
  gint64 started;

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  started = g_get_monotonic_time ();
  g_timeout_add (300, cancel_cb, cancellable);
  run_test ("custom", server->rest_url, "test-appkey", "test-secretkey", cancellable,
            &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");
  hx_server_stop (server);
}

static void
test_exchange_no_answer (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_auto(Outcome) outcome = { 0 };
  gint64 started;

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  started = g_get_monotonic_time ();
  run_test ("custom", server->rest_url, "test-appkey", "test-secretkey", NULL, &outcome);
  g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR,
                  HOGA_CONNECTION_TEST_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (outcome.error->message, server->rest_url));
  g_assert_cmpint (g_get_monotonic_time () - started, >=,
                   (HOGA_CONNECTION_TEST_TIMEOUT_S - 1) * G_USEC_PER_SEC);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");
  hx_server_stop (server);
}

/* ---------------------------------------------------------------------------------- */
/* The fake server                                                                      */

static void
test_revokes_the_issued_token (void)
{
  g_autoptr(Fake) fake = fake_start (FAKE_ACCEPT);
  g_auto(Outcome) outcome = { 0 };

  run_test ("custom", fake->url, "the-appkey", "the-secretkey", NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);

  g_assert_cmpuint (fake->n_token, ==, 1);
  g_assert_cmpuint (fake->n_revoke, ==, 1);
  g_assert_cmpstr (fake->revoke_api_id, ==, "au10002");
  g_assert_cmpstr (json_object_get_string_member (fake->revoke_body, "appkey"), ==, "the-appkey");
  g_assert_cmpstr (json_object_get_string_member (fake->revoke_body, "secretkey"), ==,
                   "the-secretkey");
  g_assert_cmpstr (json_object_get_string_member (fake->revoke_body, "token"), ==, FAKE_TOKEN);
}

static void
test_keys_refused (void)
{
  g_autoptr(Fake) fake = fake_start (FAKE_REFUSE_KEYS);
  g_auto(Outcome) outcome = { 0 };

  /* KiwoomRest's own report of the refusal (never with a key in it). */
  g_test_expect_message ("hoga-kiwoom", G_LOG_LEVEL_WARNING, "token request refused*");
  run_test ("custom", fake->url, "wrong-appkey", "wrong-secretkey", NULL, &outcome);
  g_test_assert_expected_messages ();

  g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_REFUSED);
  g_assert_nonnull (strstr (outcome.error->message, "App Key와 Secret Key 검증에 실패했습니다"));
  g_assert_null (strstr (outcome.error->message, "wrong-appkey"));
  g_assert_null (strstr (outcome.error->message, "wrong-secretkey"));
  g_assert_cmpuint (fake->n_revoke, ==, 0);
}

static void
test_revoke_refused (void)
{
  g_autoptr(Fake) fake = fake_start (FAKE_REFUSE_REVOKE);
  g_auto(Outcome) outcome = { 0 };

  run_test ("custom", fake->url, "the-appkey", "the-secretkey", NULL, &outcome);
  g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED);
  g_assert_nonnull (strstr (outcome.error->message, "accepted"));
  g_assert_nonnull (strstr (outcome.error->message, "일시적인 오류입니다"));
  g_assert_cmpuint (fake->n_revoke, ==, 1);
}

static void
test_not_kiwoom (void)
{
  g_autoptr(Fake) fake = fake_start (FAKE_NOT_KIWOOM);
  g_auto(Outcome) outcome = { 0 };

  g_test_expect_message ("hoga-kiwoom", G_LOG_LEVEL_WARNING, "token request refused*");
  run_test ("custom", fake->url, "the-appkey", "the-secretkey", NULL, &outcome);
  g_test_assert_expected_messages ();
  g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR, HOGA_CONNECTION_TEST_ERROR_FAILED);
  g_assert_nonnull (strstr (outcome.error->message, fake->url));
  g_assert_nonnull (strstr (outcome.error->message, "Kiwoom"));
}

static void
test_unreachable (void)
{
  g_autoptr(Fake) fake = fake_start (FAKE_ACCEPT);
  g_autofree char *url = g_strdup (fake->url);
  g_auto(Outcome) outcome = { 0 };

  /* Nothing listens on the port any more. */
  g_clear_pointer (&fake, fake_free);

  run_test ("custom", url, "the-appkey", "the-secretkey", NULL, &outcome);
  g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR,
                  HOGA_CONNECTION_TEST_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (outcome.error->message, url));
}

/* ---------------------------------------------------------------------------------- */
/* Nothing sent                                                                         */

static void
test_nothing_to_test (void)
{
  struct {
    const char *profile;
    const char *rest_url;
    const char *appkey;
    const char *secretkey;
  } cases[] = {
    { "simulated", NULL, "a", "b" },
    { "custom", NULL, "a", "b" },
    { "custom", "", "a", "b" },
    { "custom", "http://127.0.0.1:1", "", "b" },
    { "custom", "http://127.0.0.1:1", "a", "" },
    { "nonsense", NULL, "a", "b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Outcome) outcome = { 0 };

      run_test (cases[i].profile, cases[i].rest_url, cases[i].appkey, cases[i].secretkey,
                NULL, &outcome);
      g_assert_error (outcome.error, HOGA_CONNECTION_TEST_ERROR,
                      HOGA_CONNECTION_TEST_ERROR_NOTHING_TO_TEST);
    }
}

/* Which server each profile's test would ask; asked of nobody here. */
static void
test_rest_urls (void)
{
  g_assert_cmpstr (hoga_connection_test_get_rest_url ("mock", "http://ignored"), ==,
                   "https://mockapi.kiwoom.com");
  g_assert_cmpstr (hoga_connection_test_get_rest_url ("real", NULL), ==,
                   "https://api.kiwoom.com");
  g_assert_cmpstr (hoga_connection_test_get_rest_url ("custom", "http://127.0.0.1:5"), ==,
                   "http://127.0.0.1:5");
  g_assert_null (hoga_connection_test_get_rest_url ("simulated", "http://127.0.0.1:5"));
}

static void
test_already_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  g_cancellable_cancel (cancellable);
  run_test ("custom", "http://127.0.0.1:1", "a", "b", cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/connection-test/exchange/keys-accepted", test_exchange_accepts);
  hx_test_add ("/connection-test/exchange/cancel", test_exchange_cancel);
  hx_test_add ("/connection-test/exchange/no-answer", test_exchange_no_answer);
  hx_test_add ("/connection-test/fake/revokes-the-issued-token", test_revokes_the_issued_token);
  hx_test_add ("/connection-test/fake/keys-refused", test_keys_refused);
  hx_test_add ("/connection-test/fake/revoke-refused", test_revoke_refused);
  hx_test_add ("/connection-test/fake/not-kiwoom", test_not_kiwoom);
  hx_test_add ("/connection-test/unreachable", test_unreachable);
  hx_test_add ("/connection-test/nothing-to-test", test_nothing_to_test);
  hx_test_add ("/connection-test/rest-urls", test_rest_urls);
  hx_test_add ("/connection-test/already-cancelled", test_already_cancelled);

  return g_test_run ();
}
