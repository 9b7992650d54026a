/* test-exchange-conditions.c — hoga-exchange condition search: CNSRLST, CNSRREQ realtime and
 * one-shot, CNSRCLR, REAL 02 events, the per-login limit
 *
 * Written against kiwoom-protocol.md §6 and docs/hoga-exchange.md, with raw libsoup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-exchange-conditions"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hx-test-fixture.h"

/* Real codes, of which the built-in list is expected to hold at least three. */
static const char * const candidates[] = {
  HX_CODE_A, HX_CODE_B, "035420", "005380", "035720", "051910", "000270", "068270",
  "207940", "005490", NULL
};

static HxWs *
logged_in (HxServer *server)
{
  HxWs *ws = hx_ws_connect (server, TRUE);

  hx_ws_login (ws, NULL);
  return ws;
}

/* CNSRLST; asserts the [[seq, name], …] shape and returns the seqs. */
static GPtrArray *
list_conditions (HxWs *ws)
{
  g_autoptr(JsonObject) reply = NULL;
  GPtrArray *seqs = g_ptr_array_new_with_free_func (g_free);
  JsonArray *data;

  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  reply = hx_ws_wait_trnm (ws, "CNSRLST", HX_WAIT_MS);
  hx_assert_return_code (reply, 0);
  data = hx_array (reply, "data");
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      JsonArray *pair;
      const char *seq, *name;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 2)
        {
          g_autofree char *text = hx_object_to_string (reply);
          hx_fail ("CNSRLST data[%u] is not a [seq, name] pair: %s", i, text);
        }
      pair = json_node_get_array (node);
      seq = json_array_get_string_element (pair, 0);
      name = json_array_get_string_element (pair, 1);
      if (seq == NULL || name == NULL || *name == '\0')
        hx_fail ("CNSRLST data[%u] must hold two strings", i);
      hx_num (seq);
      g_ptr_array_add (seqs, g_strdup (seq));
    }
  if (seqs->len == 0)
    hx_fail ("CNSRLST lists no condition (the built-in data should have some)");
  return seqs;
}

static JsonObject *
start_realtime (HxWs       *ws,
                const char *seq)
{
  hx_ws_send (ws, "{\"trnm\":\"CNSRREQ\",\"seq\":\"%s\",\"search_type\":\"1\","
              "\"stex_tp\":\"K\"}", seq);
  return hx_ws_wait_trnm (ws, "CNSRREQ", HX_WAIT_MS);
}

static void
assert_seq (JsonObject *reply,
            const char *seq)
{
  g_autofree char *got = g_strdup (hx_str (reply, "seq"));

  /* the spec's sample has a trailing space: compare trimmed */
  g_assert_cmpstr (g_strstrip (got), ==, seq);
}

/* Returns the snapshot's codes (normalized); asserts null-when-empty and A-prefixes. */
static GPtrArray *
snapshot_codes (JsonObject *reply)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);
  JsonNode *data;
  JsonArray *rows;

  hx_assert_return_code (reply, 0);
  if (!json_object_has_member (reply, "data"))
    {
      g_autofree char *text = hx_object_to_string (reply);
      hx_fail ("CNSRREQ snapshot without \"data\": %s", text);
    }
  data = json_object_get_member (reply, "data");
  if (JSON_NODE_HOLDS_NULL (data))
    return codes;
  rows = hx_array (reply, "data");
  if (json_array_get_length (rows) == 0)
    hx_fail ("an empty CNSRREQ snapshot must be null, not []");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *jmcode = hx_str (row, "jmcode");

      if (strlen (jmcode) != 7 || jmcode[0] != 'A')
        hx_fail ("snapshot jmcode \"%s\" is not an A-prefixed code", jmcode);
      g_ptr_array_add (codes, g_strdup (jmcode + 1));
    }
  return codes;
}

static gboolean
contains (GPtrArray  *codes,
          const char *code)
{
  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
      return TRUE;
  return FALSE;
}

static GPtrArray *
existing_codes (HxServer *server,
                guint     n)
{
  GPtrArray *codes = g_ptr_array_new ();

  for (guint i = 0; candidates[i] != NULL && codes->len < n; i++)
    if (hx_symbol_exists (server, candidates[i]))
      g_ptr_array_add (codes, (gpointer) candidates[i]);
  if (codes->len < n)
    hx_fail ("only %u of the real codes probed are listed; need %u", codes->len, n);
  return codes;
}

static void
force (HxServer   *server,
       const char *seq,
       const char *code,
       const char *event)
{
  hx_command (server, "{\"cmd\":\"condition\",\"seq\":\"%s\",\"code\":\"%s\",\"event\":\"%s\"}",
              seq, code, event);
}

static void
assert_event (JsonObject *entry,
              const char *seq,
              const char *code,
              const char *event)
{
  JsonObject *v = hx_object (entry, "values");
  g_autofree char *item = hx_normalize_code (hx_str (entry, "item"));
  g_autofree char *jm = hx_normalize_code (hx_str (v, "9001"));

  hx_assert_member (entry, "name", "조건검색");
  g_assert_cmpstr (item, ==, code);
  hx_assert_member (v, "841", seq);
  g_assert_cmpstr (jm, ==, code);
  hx_assert_member (v, "843", event);
  hx_assert_padded (hx_str (v, "20"), 6, "FID 20");
  hx_str (v, "907");
}

/* ---- tests ------------------------------------------------------------------------- */

static void
test_list (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(JsonObject) again = NULL;

  /* listing twice is fine and lists the same */
  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  again = hx_ws_wait_trnm (ws, "CNSRLST", HX_WAIT_MS);
  g_assert_cmpuint (json_array_get_length (hx_array (again, "data")), ==, seqs->len);
  hx_assert_member (again, "return_msg", "");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_realtime_needs_list (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) early = start_realtime (ws, "0");
  g_autoptr(GPtrArray) seqs = NULL;
  g_autoptr(JsonObject) later = NULL;
  g_autoptr(GPtrArray) codes = NULL;

  hx_assert_return_code (early, 1);

  /* after CNSRLST on the same connection it works */
  seqs = list_conditions (ws);
  later = start_realtime (ws, g_ptr_array_index (seqs, 0));
  codes = snapshot_codes (later);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_list_is_per_connection (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) first = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (first);
  g_autoptr(HxWs) second = NULL;
  g_autoptr(JsonObject) reply = NULL;

  /* a new connection (same app key, so the first is kicked) must list again */
  g_clear_pointer (&first, hx_ws_free);
  second = logged_in (server);
  reply = start_realtime (second, g_ptr_array_index (seqs, 0));
  hx_assert_return_code (reply, 1);

  g_clear_pointer (&second, hx_ws_free);
  hx_server_stop (server);
}

static void
test_realtime_events (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(GPtrArray) pool = existing_codes (server, 3);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(JsonObject) in = NULL;
  g_autoptr(JsonObject) out = NULL;
  const char *seq = g_ptr_array_index (seqs, 0);
  const char *code = NULL;

  reply = start_realtime (ws, seq);
  assert_seq (reply, seq);
  members = snapshot_codes (reply);
  for (guint i = 0; i < pool->len && code == NULL; i++)
    if (!contains (members, g_ptr_array_index (pool, i)))
      code = g_ptr_array_index (pool, i);
  g_assert_nonnull (code);

  force (server, seq, code, "I");
  in = hx_ws_wait_real (ws, "02", code, NULL, NULL, HX_WAIT_MS);
  assert_event (in, seq, code, "I");
  g_assert_false (json_object_has_member (in, "return_code"));

  force (server, seq, code, "D");
  out = hx_ws_wait_real (ws, "02", code, NULL, NULL, HX_WAIT_MS);
  assert_event (out, seq, code, "D");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_snapshot_lists_members (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(GPtrArray) pool = existing_codes (server, 2);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) members = NULL;
  const char *seq = g_ptr_array_index (seqs, 0);

  force (server, seq, g_ptr_array_index (pool, 0), "I");
  force (server, seq, g_ptr_array_index (pool, 1), "I");
  reply = start_realtime (ws, seq);
  members = snapshot_codes (reply);
  g_assert_true (contains (members, g_ptr_array_index (pool, 0)));
  g_assert_true (contains (members, g_ptr_array_index (pool, 1)));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_clear_stops_events (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(GPtrArray) pool = existing_codes (server, 2);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) cleared = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(GPtrArray) members = NULL;
  const char *seq = g_ptr_array_index (seqs, 0);
  const char *code;

  reply = start_realtime (ws, seq);
  members = snapshot_codes (reply);
  code = contains (members, g_ptr_array_index (pool, 0)) ? g_ptr_array_index (pool, 1)
                                                         : g_ptr_array_index (pool, 0);
  force (server, seq, code, contains (members, code) ? "D" : "I");
  first = hx_ws_wait_real (ws, "02", code, NULL, NULL, HX_WAIT_MS);

  hx_ws_send (ws, "{\"trnm\":\"CNSRCLR\",\"seq\":\"%s\"}", seq);
  cleared = hx_ws_wait_trnm (ws, "CNSRCLR", HX_WAIT_MS);
  hx_assert_return_code (cleared, 0);
  assert_seq (cleared, seq);
  hx_assert_member (cleared, "return_msg", "");

  force (server, seq, code, contains (members, code) ? "I" : "D");
  if (hx_ws_poll_real (ws, "02", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("02 event after CNSRCLR: %s", hx_ws_describe_seen (ws));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_events_only_to_starter (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(HxWs) other = hx_ws_connect (server, TRUE);
  g_autofree char *token = hx_issue_token (server, "hx-test-second-appkey");
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(GPtrArray) other_seqs = NULL;
  g_autoptr(GPtrArray) pool = existing_codes (server, 2);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(JsonObject) event = NULL;
  const char *seq = g_ptr_array_index (seqs, 0);
  const char *code;

  hx_ws_login (other, token);
  other_seqs = list_conditions (other);
  reply = start_realtime (ws, seq);
  members = snapshot_codes (reply);
  code = contains (members, g_ptr_array_index (pool, 0)) ? g_ptr_array_index (pool, 1)
                                                         : g_ptr_array_index (pool, 0);
  force (server, seq, code, contains (members, code) ? "D" : "I");
  event = hx_ws_wait_real (ws, "02", code, NULL, NULL, HX_WAIT_MS);
  if (hx_ws_poll_real (other, "02", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("02 reached a session that did not start the condition");

  g_clear_pointer (&ws, hx_ws_free);
  g_clear_pointer (&other, hx_ws_free);
  hx_server_stop (server);
}

static void
test_one_shot_paging (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--page-size", "2", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(GPtrArray) pool = existing_codes (server, 3);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next_key = g_strdup ("");
  const char *seq = g_ptr_array_index (seqs, 0);
  const char *padded[] = { "10", "11", "12", "13", "16", "17", "18", NULL };
  gboolean more = FALSE;
  guint pages = 0;

  for (guint i = 0; i < pool->len; i++)
    force (server, seq, g_ptr_array_index (pool, i), "I");

  do
    {
      g_autoptr(JsonObject) reply = NULL;
      JsonArray *rows;
      const char *cont_yn;

      hx_ws_send (ws, "{\"trnm\":\"CNSRREQ\",\"seq\":\"%s\",\"search_type\":\"0\","
                  "\"stex_tp\":\"K\",\"cont_yn\":\"%s\",\"next_key\":\"%s\"}",
                  seq, pages > 0 ? "Y" : "N", next_key);
      reply = hx_ws_wait_trnm (ws, "CNSRREQ", HX_WAIT_MS);
      hx_assert_return_code (reply, 0);
      assert_seq (reply, seq);
      rows = hx_array (reply, "data");
      g_assert_cmpuint (json_array_get_length (rows), >, 0);
      g_assert_cmpuint (json_array_get_length (rows), <=, 2);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          const char *code = hx_str (row, "9001");

          if (strlen (code) != 7 || code[0] != 'A')
            hx_fail ("one-shot 9001 \"%s\" is not an A-prefixed code", code);
          if (!g_hash_table_add (seen, g_strdup (code + 1)))
            hx_fail ("%s appears twice across pages", code);
          g_assert_cmpuint (strlen (hx_str (row, "302")), >, 0);
          for (guint f = 0; padded[f] != NULL; f++)
            hx_assert_padded (hx_str (row, padded[f]), 9, padded[f]);
          g_assert_cmpint (hx_num (hx_str (row, "10")), >, 0);
          hx_str (row, "25");
        }

      cont_yn = hx_str (reply, "cont_yn");
      more = g_strcmp0 (cont_yn, "Y") == 0;
      g_free (next_key);
      next_key = g_strdup (hx_str (reply, "next_key"));
      if (more)
        g_assert_cmpuint (strlen (next_key), >, 0);
      else
        g_assert_cmpstr (cont_yn, ==, "N");
      pages++;
    }
  while (more && pages < 100);

  g_assert_false (more);
  g_assert_cmpuint (pages, >=, 2);
  for (guint i = 0; i < pool->len; i++)
    if (!g_hash_table_contains (seen, g_ptr_array_index (pool, i)))
      hx_fail ("one-shot search lacks the forced member %s",
               (const char *) g_ptr_array_index (pool, i));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static gboolean
run_max_conditions (const char *max_text,
                    guint       max)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--max-conditions", max_text, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(GPtrArray) seqs = list_conditions (ws);
  g_autoptr(JsonObject) over = NULL;
  g_autoptr(JsonObject) cleared = NULL;
  g_autoptr(JsonObject) again = NULL;

  if (seqs->len < max + 1)
    {
      g_clear_pointer (&ws, hx_ws_free);
      hx_server_stop (server);
      return FALSE;
    }

  for (guint i = 0; i < max; i++)
    {
      g_autoptr(JsonObject) r = start_realtime (ws, g_ptr_array_index (seqs, i));
      hx_assert_return_code (r, 0);
    }
  over = start_realtime (ws, g_ptr_array_index (seqs, max));
  hx_assert_return_code (over, 1);

  /* stopping one frees a slot */
  hx_ws_send (ws, "{\"trnm\":\"CNSRCLR\",\"seq\":\"%s\"}", (char *) g_ptr_array_index (seqs, 0));
  cleared = hx_ws_wait_trnm (ws, "CNSRCLR", HX_WAIT_MS);
  hx_assert_return_code (cleared, 0);
  again = start_realtime (ws, g_ptr_array_index (seqs, max));
  hx_assert_return_code (again, 0);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
  return TRUE;
}

static void
test_max_conditions (void)
{
  /* --max-conditions 2 needs three listed conditions; with two, check the limit of 1 */
  if (!run_max_conditions ("2", 2) && !run_max_conditions ("1", 1))
    hx_fail ("CNSRLST lists fewer than two conditions: cannot test the limit");
}

static void
test_conditions_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hx-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) reply = NULL;
  HxServer *server;
  JsonArray *data;
  JsonArray *pair;

  g_assert_no_error (error);
  path = g_build_filename (dir, "conditions.ini", NULL);
  /* the format of data/exchange/conditions.ini */
  g_file_set_contents (path,
                       "[7]\nname=시험 조건\nkind=change-above\npercent=5\n", -1, &error);
  g_assert_no_error (error);

  server = hx_server_start (HX_SCRIPTED, "--conditions-file", path, NULL);
  ws = logged_in (server);
  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  reply = hx_ws_wait_trnm (ws, "CNSRLST", HX_WAIT_MS);
  hx_assert_return_code (reply, 0);
  data = hx_array (reply, "data");
  g_assert_cmpuint (json_array_get_length (data), ==, 1);
  pair = json_array_get_array_element (data, 0);
  g_assert_cmpstr (json_array_get_string_element (pair, 0), ==, "7");
  g_assert_cmpstr (json_array_get_string_element (pair, 1), ==, "시험 조건");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/exchange/conditions/list", test_list);
  hx_test_add ("/exchange/conditions/realtime-needs-list", test_realtime_needs_list);
  hx_test_add ("/exchange/conditions/list-is-per-connection", test_list_is_per_connection);
  hx_test_add ("/exchange/conditions/realtime-events", test_realtime_events);
  hx_test_add ("/exchange/conditions/snapshot-lists-members", test_snapshot_lists_members);
  hx_test_add ("/exchange/conditions/clear-stops-events", test_clear_stops_events);
  hx_test_add ("/exchange/conditions/events-only-to-starter", test_events_only_to_starter);
  hx_test_add ("/exchange/conditions/one-shot-paging", test_one_shot_paging);
  hx_test_add ("/exchange/conditions/max-per-login", test_max_conditions);
  hx_test_add ("/exchange/conditions/conditions-file", test_conditions_file);

  return g_test_run ();
}
