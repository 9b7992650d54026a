/* test-headless.c — the hoga program's command line and headless engine, run as a process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hoga-settings.h"

/* The engine logs in to the exchange, reads the account and arms the
 * conditions before it reports that it started. */
#define STARTED_TIMEOUT_S 20
#define STOPPED_TIMEOUT_S 10

/* Keys set in the environment where they must never be printed. */
#define CANARY_APPKEY    "canary-appkey-must-not-be-printed"
#define CANARY_SECRETKEY "canary-secretkey-must-not-be-printed"

typedef struct {
  char *dir;            /* a fresh XDG_DATA_HOME, keyring file and config files */
} Fixture;

static char *
program_path (const char *variable,
              const char *subdir,
              const char *name)
{
  const char *path = g_getenv (variable);

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  return g_test_build_filename (G_TEST_BUILT, "..", "src", subdir, name, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-headless-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_config (Fixture    *fixture,
              const char *text)
{
  g_autofree char *path = g_build_filename (fixture->dir, "hoga.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* English messages, a private XDG_DATA_HOME, a file keyring that is empty, and no keys in
 * the environment, so nothing reaches the user's own keyring or journal. */
static GSubprocessLauncher *
new_launcher (Fixture          *fixture,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *keyring = g_build_filename (fixture->dir, "keyring", NULL);
  g_autofree char *exchange = program_path ("HOGA_EXCHANGE", "exchange", "hoga-exchange");

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test-headless", TRUE);
  g_subprocess_launcher_setenv (launcher, "HOGA_EXCHANGE", exchange, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "KIWOOM_APPKEY");
  g_subprocess_launcher_unsetenv (launcher, "KIWOOM_SECRETKEY");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  return launcher;
}

/* Runs hoga to its end: returns its exit status. */
static int
run_hoga (GSubprocessLauncher  *launcher,
          const char * const   *args,
          char                **out,
          char                **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, program_path ("HOGA", "hoga", "hoga"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_version (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char * const args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "hoga " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help_documents_every_key (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char * const args[] = { "--help", NULL };
  const char * const *groups = hoga_settings_list_groups ();
  const char * const variables[] = {
    "KIWOOM_APPKEY", "KIWOOM_SECRETKEY", "HOGA_EXCHANGE", "XDG_DATA_HOME", NULL
  };
  const char * const options[] = {
    "--headless", "--config", "--i-understand-real-money", "--version", NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 0);

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autofree char *header = g_strdup_printf ("\n[%s]\n", groups[g]);
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);
      const char *section = strstr (out, header);

      g_assert_nonnull (section);
      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autofree char *line = g_strdup_printf ("\n  %s=", keys[k]);

          if (strstr (section, line) == NULL)
            g_error ("--help does not document [%s] %s", groups[g], keys[k]);
        }
    }
  for (guint i = 0; variables[i] != NULL; i++)
    g_assert_nonnull (strstr (out, variables[i]));
  for (guint i = 0; options[i] != NULL; i++)
    g_assert_nonnull (strstr (out, options[i]));
}

/* No display: the window cannot open, and the message says what runs instead. */
static void
test_without_display (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char * const args[] = { NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "No display"));
  g_assert_nonnull (strstr (err, "--headless"));
  /* One line, so a launcher's error dialog or a terminal shows all of it. */
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
}

/* The window keeps its settings in GSettings: a key file given to it would be ignored. */
static void
test_config_without_headless (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  const char * const args[] = { "--config", "/nonexistent/hoga.ini", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--config"));
  g_assert_nonnull (strstr (err, "headless"));
}

static void
test_bad_config_value (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const struct {
    const char *text;
    const char *named;
  } cases[] = {
    { "[strategy]\nstop-loss=99999\n", "stop-loss" },
    { "[strategy]\namount-per-stock=1,000,000\n", "amount-per-stock" },
    { "[broker]\nprofile=paper\n", "profile" },
    { "[broker]\nprofile=custom\nrest-url=http://127.0.0.1:1\n", "ws-url" },
    { "[risk]\nmax-order-valu=100000\n", "max-order-value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autofree char *config = write_config (fixture, cases[i].text);
      const char * const args[] = { "--headless", "--config", config, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("config: %s", cases[i].text);
      g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].named));
    }
}

static void
test_missing_config_file (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = g_build_filename (fixture->dir, "missing.ini", NULL);
  const char * const args[] = { "--headless", "--config", config, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "missing.ini"));
}

/* The mock server must never be contacted without keys: the keys are looked up before the
 * journal is opened, and the journal before any broker exists, so a missing journal file
 * proves nothing went further. */
static void
test_mock_without_credentials (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = write_config (fixture, "[broker]\nprofile=mock\n");
  g_autofree char *journal = g_build_filename (fixture->dir, "hoga", "mock", NULL);
  const char * const args[] = { "--headless", "--config", config, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 started = g_get_monotonic_time ();

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "KIWOOM_APPKEY"));
  g_assert_nonnull (strstr (err, "mock"));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  /* No connection attempt, no timeout waited for. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static void
test_half_credentials (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = write_config (fixture, "[broker]\nprofile=mock\n");
  const char * const args[] = { "--headless", "--config", config, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "KIWOOM_APPKEY", CANARY_APPKEY, TRUE);
  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "KIWOOM_SECRETKEY"));
  g_assert_null (strstr (err, CANARY_APPKEY));
  g_assert_null (strstr (out, CANARY_APPKEY));
}

static void
test_real_needs_confirmation (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = write_config (fixture, "[broker]\nprofile=real\n");
  g_autofree char *journal = g_build_filename (fixture->dir, "hoga", "real", NULL);
  const char * const args[] = { "--headless", "--config", config, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "KIWOOM_APPKEY", "not-a-real-appkey", TRUE);
  g_subprocess_launcher_setenv (launcher, "KIWOOM_SECRETKEY", "not-a-real-secretkey", TRUE);
  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "--i-understand-real-money"));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* A file at the journal's place that is not a journal: refused before anything starts,
 * and left as it was. */
static void
test_journal_refused (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *folder = g_build_filename (fixture->dir, "hoga", "simulated", NULL);
  g_autofree char *journal = g_build_filename (folder, "journal.sqlite", NULL);
  const char *garbage = "not a journal, and it must stay so\n";
  const char * const args[] = { "--headless", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (journal, garbage, -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_hoga (launcher, args, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, journal));

  g_file_get_contents (journal, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, garbage);
}

/* The configuration build-aux/run gives newcomers loads, and names conditions the
 * simulated exchange has. */
static void
test_shipped_config (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "headless-simulated.ini", NULL);
  g_autofree char *conditions_path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                            "exchange", "conditions.ini",
                                                            NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) conditions = g_key_file_new ();
  g_autoptr(HogaSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) seqs = NULL;
  g_autofree char *first = NULL;
  gboolean sell_found = FALSE;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  settings = hoga_settings_load_key_file (key_file, &error);
  g_assert_no_error (error);

  g_assert_cmpint (settings->profile, ==, HOGA_PROFILE_SIMULATED);
  g_assert_true (settings->auto_buy);
  g_assert_cmpint (settings->amount_per_stock, ==, 1000000);
  g_assert_cmpint (settings->trailing_start_bp, >, 0);

  g_key_file_load_from_file (conditions, conditions_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  seqs = g_key_file_get_groups (conditions, NULL);
  g_assert_nonnull (seqs[0]);
  first = g_key_file_get_string (conditions, seqs[0], "name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->buy_condition, ==, first);
  for (guint i = 1; seqs[i] != NULL; i++)
    {
      g_autofree char *name = g_key_file_get_string (conditions, seqs[i], "name", NULL);

      sell_found |= g_strcmp0 (name, settings->sell_condition) == 0;
    }
  g_assert_true (sell_found);
}

typedef struct {
  GMainLoop        *loop;
  GDataInputStream *lines;
  gboolean          started;
  gboolean          stopped;
  gboolean          eof;
  gboolean          timed_out;
} Reader;

static void
check_line (Reader     *reader,
            const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char * const members[] = { "time", "level", "domain", "message" };
  JsonObject *object;
  const char *event;

  g_test_message ("%s", line);
  g_assert_null (strstr (line, CANARY_APPKEY));
  g_assert_null (strstr (line, CANARY_SECRETKEY));
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (object, members[i]));
  /* Korea time with its offset, whatever the machine's zone. */
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "time"), "+09:00"));

  event = json_object_get_string_member_with_default (object, "event", "");
  if (g_str_equal (event, "engine-started"))
    {
      reader->started = TRUE;
      g_main_loop_quit (reader->loop);
    }
  reader->stopped |= g_str_equal (event, "engine-stopped");
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (reader->lines, result, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      reader->eof = TRUE;
      g_main_loop_quit (reader->loop);
      return;
    }

  check_line (reader, line);
  g_data_input_stream_read_line_async (reader->lines, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, reader);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Reader *reader = user_data;

  reader->timed_out = TRUE;
  g_main_loop_quit (reader->loop);
  return G_SOURCE_REMOVE;
}

static void
run_loop_for (Reader *reader,
              guint   seconds)
{
  guint id = g_timeout_add_seconds (seconds, timeout_cb, reader);

  g_main_loop_run (reader->loop);
  if (!reader->timed_out)
    g_source_remove (id);
}

/* Runs hoga with @config until the engine reports its start, checking every line on the
 * way, then stops it with SIGTERM: it must exit 0 within a few seconds, after saying the
 * journal is closed, and leave the journal at @journal. Needs the real engine. */
static void
run_and_stop (GSubprocessLauncher *launcher,
              const char          *config,
              const char          *journal)
{
  g_autofree char *hoga = program_path ("HOGA", "hoga", "hoga");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Reader reader = { 0 };

  process = g_subprocess_launcher_spawn (launcher, &error, hoga,
                                         "--headless", "--config", config, NULL);
  g_assert_no_error (error);

  reader.loop = g_main_loop_new (NULL, FALSE);
  reader.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (reader.lines, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, &reader);

  run_loop_for (&reader, STARTED_TIMEOUT_S);
  if (!reader.started)
    g_subprocess_force_exit (process);
  g_assert_false (reader.timed_out);
  g_assert_false (reader.eof);
  g_assert_true (reader.started);
  /* Opened before the engine started, in the private XDG_DATA_HOME. */
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));

  g_subprocess_send_signal (process, SIGTERM);
  while (!reader.eof && !reader.timed_out)
    run_loop_for (&reader, STOPPED_TIMEOUT_S);
  if (reader.timed_out)
    g_subprocess_force_exit (process);
  g_assert_false (reader.timed_out);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_true (reader.stopped);
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));

  g_clear_object (&reader.lines);
  g_main_loop_unref (reader.loop);
}

/* Processes whose environment holds @entry ("NAME=value"), from /proc. */
static guint
count_processes_with_env (const char *entry)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *environment = NULL;
      gsize length;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "environ", NULL);
      if (!g_file_get_contents (path, &environment, &length, NULL))
        continue;
      for (gsize at = 0; at < length; at += strlen (environment + at) + 1)
        {
          if (g_str_equal (environment + at, entry))
            {
              found++;
              break;
            }
        }
    }
  return found;
}

/* The shipped configuration: hoga spawns its own exchange. Keys in the environment are
 * neither needed nor printed. */
static void
test_simulated_run (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *config = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                   "headless-simulated.ini", NULL);
  g_autofree char *journal = g_build_filename (fixture->dir, "hoga", "simulated",
                                               "journal.sqlite", NULL);
  g_autofree char *own_env = g_strconcat ("XDG_DATA_HOME=", fixture->dir, NULL);
  gint64 deadline;

  g_subprocess_launcher_setenv (launcher, "KIWOOM_APPKEY", CANARY_APPKEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "KIWOOM_SECRETKEY", CANARY_SECRETKEY, TRUE);
  run_and_stop (launcher, config, journal);

  /* hoga ended its exchange, which inherited this test's private XDG_DATA_HOME. */
  deadline = g_get_monotonic_time () + STOPPED_TIMEOUT_S * G_USEC_PER_SEC;
  while (count_processes_with_env (own_env) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_processes_with_env (own_env), ==, 0);
}

/* The custom profile on an exchange the test starts, with the keys from the environment:
 * they reach the broker and never the output. */
static void
test_custom_run (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (fixture,
    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *exchange_path = program_path ("HOGA_EXCHANGE", "exchange", "hoga-exchange");
  g_autofree char *journal = g_build_filename (fixture->dir, "hoga", "custom",
                                               "journal.sqlite", NULL);
  g_autoptr(GSubprocess) exchange = NULL;
  g_autoptr(GDataInputStream) ready = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autofree char *config = NULL;
  JsonObject *urls;

  exchange = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error, exchange_path, NULL);
  g_assert_no_error (error);
  ready = g_data_input_stream_new (g_subprocess_get_stdout_pipe (exchange));
  line = g_data_input_stream_read_line_utf8 (ready, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  urls = json_node_get_object (json_parser_get_root (parser));

  text = g_strdup_printf ("[broker]\nprofile=custom\nrest-url=%s\nws-url=%s\n",
                          json_object_get_string_member (urls, "rest_url"),
                          json_object_get_string_member (urls, "ws_url"));
  config = write_config (fixture, text);

  g_subprocess_launcher_setenv (launcher, "KIWOOM_APPKEY", CANARY_APPKEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "KIWOOM_SECRETKEY", CANARY_SECRETKEY, TRUE);
  run_and_stop (launcher, config, journal);

  g_subprocess_send_signal (exchange, SIGTERM);
  g_subprocess_wait (exchange, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/headless/version", test_version);
  ADD ("/headless/help/documents-every-key", test_help_documents_every_key);
  ADD ("/headless/without-display", test_without_display);
  ADD ("/headless/config-without-headless", test_config_without_headless);
  ADD ("/headless/config/bad-value", test_bad_config_value);
  ADD ("/headless/config/missing-file", test_missing_config_file);
  ADD ("/headless/config/shipped-simulated", test_shipped_config);
  ADD ("/headless/credentials/mock-without", test_mock_without_credentials);
  ADD ("/headless/credentials/half-in-environment", test_half_credentials);
  ADD ("/headless/real/needs-confirmation", test_real_needs_confirmation);
  ADD ("/headless/journal/refused", test_journal_refused);
  ADD ("/headless/simulated/run-and-stop", test_simulated_run);
  ADD ("/headless/custom/run-and-stop", test_custom_run);

#undef ADD

  return g_test_run ();
}
