/* test-secret-store.c — the libsecret adapter of the secret store port, and the headless
 * program's credential lookup reading what it saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsecret's file backend (SECRET_BACKEND=file) stands in for the Secret Service: it is
 * libsecret's own code with an encrypted file instead of D-Bus. Every test runs in its own
 * subprocess with a fresh keyring file, because libsecret picks its backend once per
 * process. The no-service tests point libsecret at a session bus that does not exist, or
 * at a private one where nothing provides org.freedesktop.secrets.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "hoga-credentials.h"
#include "hoga-libsecret-store.h"

#define APPKEY    "PSappkey-canary-0123456789"
#define SECRETKEY "secretkey-canary-abcdefghijklmnopqrstuvwxyz"

typedef struct {
  gboolean  done;
  GObject  *source;
  GAsyncResult *result;
} Wait;

static char *keyring_dir;

/* ---------------------------------------------------------------------------------- */
/* Helpers                                                                              */

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *wait = user_data;

  wait->done = TRUE;
  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!wait->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return wait->result;
}

static HogaSecretKeys *
lookup (HogaSecretStore  *store,
        const char       *profile,
        GError          **error)
{
  Wait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  hoga_secret_store_lookup_async (store, profile, NULL, ready_cb, &wait);
  result = wait_result (&wait);
  return hoga_secret_store_lookup_finish (store, result, error);
}

static gboolean
store_keys (HogaSecretStore  *store,
            const char       *profile,
            const char       *appkey,
            const char       *secretkey,
            GError          **error)
{
  Wait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  hoga_secret_store_store_async (store, profile, appkey, secretkey, NULL, ready_cb, &wait);
  result = wait_result (&wait);
  return hoga_secret_store_store_finish (store, result, error);
}

static gboolean
clear_keys (HogaSecretStore  *store,
            const char       *profile,
            GError          **error)
{
  Wait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  hoga_secret_store_clear_async (store, profile, NULL, ready_cb, &wait);
  result = wait_result (&wait);
  return hoga_secret_store_clear_finish (store, result, error);
}

static HogaSecretStore *
new_store (void)
{
  return HOGA_SECRET_STORE (hoga_libsecret_store_new ());
}

static char *
keyring_path (void)
{
  return g_build_filename (keyring_dir, "keyring", NULL);
}

/* The file is binary: strstr() would stop at its first NUL. */
static gboolean
contains_bytes (const char *data,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (memcmp (data + i, needle, needle_length) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
assert_keys (HogaSecretKeys *keys,
             const char     *appkey,
             const char     *secretkey)
{
  g_assert_nonnull (keys);
  g_assert_cmpstr (keys->appkey, ==, appkey);
  g_assert_cmpstr (keys->secretkey, ==, secretkey);
}

/* ---------------------------------------------------------------------------------- */
/* The file backend                                                                     */

static void
test_round_trip (void)
{
  g_autoptr(HogaSecretStore) store = new_store ();
  g_autoptr(HogaSecretKeys) before = NULL;
  g_autoptr(HogaSecretKeys) saved = NULL;
  g_autoptr(HogaSecretKeys) replaced = NULL;
  g_autoptr(HogaSecretKeys) cleared = NULL;
  g_autoptr(GError) error = NULL;

  before = lookup (store, "mock", &error);
  g_assert_no_error (error);
  assert_keys (before, NULL, NULL);

  g_assert_true (store_keys (store, "mock", APPKEY, SECRETKEY, &error));
  g_assert_no_error (error);
  saved = lookup (store, "mock", &error);
  g_assert_no_error (error);
  assert_keys (saved, APPKEY, SECRETKEY);

  g_assert_true (store_keys (store, "mock", "second-appkey", "second-secretkey", &error));
  g_assert_no_error (error);
  replaced = lookup (store, "mock", &error);
  g_assert_no_error (error);
  assert_keys (replaced, "second-appkey", "second-secretkey");

  g_assert_true (clear_keys (store, "mock", &error));
  g_assert_no_error (error);
  cleared = lookup (store, "mock", &error);
  g_assert_no_error (error);
  assert_keys (cleared, NULL, NULL);

  /* Nothing left to clear is not an error. */
  g_assert_true (clear_keys (store, "mock", &error));
  g_assert_no_error (error);
}

static void
test_profiles_are_separate (void)
{
  g_autoptr(HogaSecretStore) store = new_store ();
  g_autoptr(HogaSecretKeys) mock = NULL;
  g_autoptr(HogaSecretKeys) real = NULL;
  g_autoptr(HogaSecretKeys) custom = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store_keys (store, "mock", "mock-appkey", "mock-secretkey", &error));
  g_assert_no_error (error);
  g_assert_true (store_keys (store, "real", "real-appkey", "real-secretkey", &error));
  g_assert_no_error (error);

  g_assert_true (clear_keys (store, "mock", &error));
  g_assert_no_error (error);

  mock = lookup (store, "mock", &error);
  g_assert_no_error (error);
  assert_keys (mock, NULL, NULL);
  real = lookup (store, "real", &error);
  g_assert_no_error (error);
  assert_keys (real, "real-appkey", "real-secretkey");
  custom = lookup (store, "custom", &error);
  g_assert_no_error (error);
  assert_keys (custom, NULL, NULL);
}

/* The keyring file is encrypted: neither key is in it as text. */
static void
test_file_holds_no_plain_key (void)
{
  g_autoptr(HogaSecretStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = keyring_path ();
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (store_keys (store, "real", APPKEY, SECRETKEY, &error));
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_false (contains_bytes (contents, length, APPKEY));
  g_assert_false (contains_bytes (contents, length, SECRETKEY));
}

static void
test_sync_lookup (void)
{
  g_autoptr(HogaLibsecretStore) store = hoga_libsecret_store_new ();
  g_autoptr(HogaSecretKeys) keys = NULL;
  g_autoptr(HogaSecretKeys) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store_keys (HOGA_SECRET_STORE (store), "custom", APPKEY, SECRETKEY, &error));
  g_assert_no_error (error);

  keys = hoga_libsecret_store_lookup_sync (store, "custom", NULL, &error);
  g_assert_no_error (error);
  assert_keys (keys, APPKEY, SECRETKEY);
  none = hoga_libsecret_store_lookup_sync (store, "mock", NULL, &error);
  g_assert_no_error (error);
  assert_keys (none, NULL, NULL);
}

/* What the preferences save is what `hoga --headless` reads. */
static void
test_headless_finds_saved_keys (void)
{
  g_autoptr(HogaSecretStore) store = new_store ();
  g_autoptr(HogaCredentials) credentials = NULL;
  g_autoptr(HogaCredentials) from_env = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv (HOGA_CREDENTIALS_ENV_APPKEY);
  g_unsetenv (HOGA_CREDENTIALS_ENV_SECRETKEY);

  credentials = hoga_credentials_lookup ("mock", &error);
  g_assert_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_null (credentials);
  g_clear_error (&error);

  g_assert_true (store_keys (store, "mock", APPKEY, SECRETKEY, &error));
  g_assert_no_error (error);

  credentials = hoga_credentials_lookup ("mock", &error);
  g_assert_no_error (error);
  g_assert_nonnull (credentials);
  g_assert_cmpstr (credentials->appkey, ==, APPKEY);
  g_assert_cmpstr (credentials->secretkey, ==, SECRETKEY);

  /* The environment still comes first. */
  g_setenv (HOGA_CREDENTIALS_ENV_APPKEY, "env-appkey", TRUE);
  g_setenv (HOGA_CREDENTIALS_ENV_SECRETKEY, "env-secretkey", TRUE);
  from_env = hoga_credentials_lookup ("mock", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_env->appkey, ==, "env-appkey");
  g_assert_cmpstr (from_env->secretkey, ==, "env-secretkey");
}

/* One key alone (say, an item deleted by hand in Passwords and Keys) is reported as such. */
static void
test_headless_half_in_keyring (void)
{
  g_autoptr(HogaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  SecretSchema schema = {
    HOGA_LIBSECRET_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  g_unsetenv (HOGA_CREDENTIALS_ENV_APPKEY);
  g_unsetenv (HOGA_CREDENTIALS_ENV_SECRETKEY);

  g_assert_true (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "test",
                                             APPKEY, NULL, &error,
                                             "profile", "real",
                                             "kind", HOGA_SECRET_KIND_APPKEY,
                                             NULL));
  g_assert_no_error (error);

  credentials = hoga_credentials_lookup ("real", &error);
  g_assert_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "secretkey"));
  g_assert_null (strstr (error->message, APPKEY));
  g_assert_null (credentials);
}

/* ---------------------------------------------------------------------------------- */
/* No Secret Service                                                                    */

static void
assert_no_service (const GError *error)
{
  g_assert_error (error, HOGA_SECRET_STORE_ERROR, HOGA_SECRET_STORE_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "gnome-keyring"));
  g_assert_nonnull (strstr (error->message, "KIWOOM_APPKEY"));
  g_assert_nonnull (strstr (error->message, "KIWOOM_SECRETKEY"));
}

static void
check_no_service (void)
{
  g_autoptr(HogaSecretStore) store = new_store ();
  g_autoptr(HogaSecretKeys) keys = NULL;
  g_autoptr(HogaSecretKeys) sync_keys = NULL;
  g_autoptr(HogaCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = keyring_path ();

  g_assert_false (store_keys (store, "mock", APPKEY, SECRETKEY, &error));
  assert_no_service (error);
  g_assert_null (strstr (error->message, APPKEY));
  g_assert_null (strstr (error->message, SECRETKEY));
  g_clear_error (&error);

  keys = lookup (store, "mock", &error);
  g_assert_null (keys);
  assert_no_service (error);
  g_clear_error (&error);

  g_assert_false (clear_keys (store, "mock", &error));
  assert_no_service (error);
  g_clear_error (&error);

  sync_keys = hoga_libsecret_store_lookup_sync (HOGA_LIBSECRET_STORE (store), "mock", NULL,
                                                &error);
  g_assert_null (sync_keys);
  assert_no_service (error);
  g_clear_error (&error);

  g_unsetenv (HOGA_CREDENTIALS_ENV_APPKEY);
  g_unsetenv (HOGA_CREDENTIALS_ENV_SECRETKEY);
  credentials = hoga_credentials_lookup ("mock", &error);
  g_assert_null (credentials);
  g_assert_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_NO_KEYRING);
  g_assert_nonnull (strstr (error->message, "mock"));
  g_assert_nonnull (strstr (error->message, "KIWOOM_APPKEY"));

  /* Nothing fell back to a file. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_no_session_bus (void)
{
  g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", keyring_dir);

  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  check_no_service ();
}

/* A private session bus with no service directories: nothing owns or can start
 * org.freedesktop.secrets on it. (Not GTestDBus: its teardown waits for the session bus
 * connection to be finalized, and libsecret keeps it until the process ends.) */
static void
test_no_service_on_bus (void)
{
  g_autofree char *config = g_build_filename (keyring_dir, "bus.conf", NULL);
  g_autofree char *config_text = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  config_text = g_strdup_printf ("<busconfig>\n"
                                 "  <type>session</type>\n"
                                 "  <listen>unix:dir=%s</listen>\n"
                                 "  <policy context=\"default\">\n"
                                 "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                                 "    <allow eavesdrop=\"true\"/>\n"
                                 "    <allow own=\"*\"/>\n"
                                 "  </policy>\n"
                                 "</busconfig>\n", keyring_dir);
  g_file_set_contents (config, config_text, -1, &error);
  g_assert_no_error (error);

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error,
                             "dbus-daemon", "--nofork", "--print-address=1",
                             "--config-file", config, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  check_no_service ();

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

/* ---------------------------------------------------------------------------------- */

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

/* libsecret chooses its backend once per process: each test gets a fresh process and a
 * fresh keyring file. */
static void
run_isolated (gconstpointer data)
{
  void (*func) (void) = (void (*) (void)) data;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      keyring_dir = g_dir_make_tmp ("test-secret-store-XXXXXX", &error);
      g_assert_no_error (error);
      path = keyring_path ();
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-secret-store", TRUE);

      func ();

      remove_tree (keyring_dir);
      g_clear_pointer (&keyring_dir, g_free);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
add_isolated (const char  *path,
              void       (*func) (void))
{
  g_test_add_data_func (path, (gconstpointer) func, run_isolated);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_isolated ("/secret-store/libsecret/round-trip", test_round_trip);
  add_isolated ("/secret-store/libsecret/profiles-are-separate", test_profiles_are_separate);
  add_isolated ("/secret-store/libsecret/file-holds-no-plain-key", test_file_holds_no_plain_key);
  add_isolated ("/secret-store/libsecret/lookup-sync", test_sync_lookup);
  add_isolated ("/secret-store/headless/finds-saved-keys", test_headless_finds_saved_keys);
  add_isolated ("/secret-store/headless/half-in-keyring", test_headless_half_in_keyring);
  add_isolated ("/secret-store/no-service/no-session-bus", test_no_session_bus);
  add_isolated ("/secret-store/no-service/nothing-on-the-bus", test_no_service_on_bus);

  return g_test_run ();
}
