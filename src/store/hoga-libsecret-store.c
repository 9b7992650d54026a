/* hoga-libsecret-store.c — the secret store port on libsecret (the Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each key is one item of the default collection, found by its profile and kind. The
 * values pass through here only on their way to or from libsecret: they are wiped when
 * freed and never logged. There is no fallback: when the Secret Service cannot be reached,
 * every call fails with HOGA_SECRET_STORE_ERROR_NO_SERVICE and nothing is written
 * anywhere else (STYLE.md, "libsecret facts").
 */
#define G_LOG_DOMAIN "hoga-secret-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "hoga-libsecret-store.h"

struct _HogaLibsecretStore
{
  GObject parent_instance;
};

static void secret_store_iface_init (HogaSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HogaLibsecretStore, hoga_libsecret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_SECRET_STORE,
                                                      secret_store_iface_init))

/* What an asynchronous call carries from one libsecret step to the next. */
typedef struct {
  char           *profile;
  char           *appkey;
  char           *secretkey;
  HogaSecretKeys *keys;
} Call;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    HOGA_LIBSECRET_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
call_free (Call *call)
{
  g_free (call->profile);
  g_clear_pointer (&call->appkey, hoga_secret_free);
  g_clear_pointer (&call->secretkey, hoga_secret_free);
  g_clear_pointer (&call->keys, hoga_secret_keys_free);
  g_free (call);
}

/* Failing to reach the service at all — no session bus, nothing owning or activating
 * org.freedesktop.secrets — is told apart from the service refusing a request, because
 * only the first one is fixed by installing or starting a keyring. */
static GError *
translate_error (GError *error)
{
  g_autoptr(GError) owned = error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (error->domain == G_DBUS_ERROR
      || (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_DBUS_ERROR))
    {
      g_debug ("The Secret Service cannot be reached: %s", error->message);
      return hoga_secret_store_new_no_service_error ();
    }

  return g_error_new (HOGA_SECRET_STORE_ERROR, HOGA_SECRET_STORE_ERROR_FAILED,
                      /* Translators: libsecret's reason */
                      _("The keyring refused the request: %s"), error->message);
}

/* libsecret's copies live in its own allocator; ours are plain and wiped when freed. */
static char *
take_password (char *password)
{
  char *copy = g_strdup (password);

  secret_password_free (password);
  return copy;
}

static char *
make_label (const char *profile,
            const char *kind)
{
  if (g_str_equal (kind, HOGA_SECRET_KIND_APPKEY))
    /* Translators: the name of a keyring item, as shown in Passwords and Keys; %s is the
     * profile's name ("mock", "real", "custom"), not translated */
    return g_strdup_printf (_("Hoga: Kiwoom app key (profile %s)"), profile);
  /* Translators: the name of a keyring item; %s is the profile's name, not translated */
  return g_strdup_printf (_("Hoga: Kiwoom secret key (profile %s)"), profile);
}

/* ---------------------------------------------------------------------------------- */
/* Lookup                                                                               */

static void lookup_secretkey_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);

static void
lookup_appkey_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  call->keys->appkey = password != NULL ? take_password (password) : NULL;

  secret_password_lookup (get_schema (), g_task_get_cancellable (task),
                          lookup_secretkey_cb, g_object_ref (task),
                          "profile", call->profile,
                          "kind", HOGA_SECRET_KIND_SECRETKEY,
                          NULL);
}

static void
lookup_secretkey_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  call->keys->secretkey = password != NULL ? take_password (password) : NULL;

  g_task_return_pointer (task, g_steal_pointer (&call->keys),
                         (GDestroyNotify) hoga_secret_keys_free);
}

static void
hoga_libsecret_store_lookup_async (HogaSecretStore     *store,
                                   const char          *profile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_libsecret_store_lookup_async);
  call = g_new0 (Call, 1);
  call->profile = g_strdup (profile);
  call->keys = g_new0 (HogaSecretKeys, 1);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  secret_password_lookup (get_schema (), cancellable,
                          lookup_appkey_cb, g_steal_pointer (&task),
                          "profile", profile,
                          "kind", HOGA_SECRET_KIND_APPKEY,
                          NULL);
}

static HogaSecretKeys *
hoga_libsecret_store_lookup_finish (HogaSecretStore  *store,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------- */
/* Store                                                                                */

static void store_secretkey_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
store_appkey_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  label = make_label (call->profile, HOGA_SECRET_KIND_SECRETKEY);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, call->secretkey,
                         g_task_get_cancellable (task), store_secretkey_cb, g_object_ref (task),
                         "profile", call->profile,
                         "kind", HOGA_SECRET_KIND_SECRETKEY,
                         NULL);
}

static void
store_secretkey_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
hoga_libsecret_store_store_async (HogaSecretStore     *store,
                                  const char          *profile,
                                  const char          *appkey,
                                  const char          *secretkey,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  Call *call;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_libsecret_store_store_async);
  call = g_new0 (Call, 1);
  call->profile = g_strdup (profile);
  call->appkey = g_strdup (appkey);
  call->secretkey = g_strdup (secretkey);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  label = make_label (profile, HOGA_SECRET_KIND_APPKEY);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, call->appkey,
                         cancellable, store_appkey_cb, g_steal_pointer (&task),
                         "profile", profile,
                         "kind", HOGA_SECRET_KIND_APPKEY,
                         NULL);
}

static gboolean
hoga_libsecret_store_store_finish (HogaSecretStore  *store,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------- */
/* Clear                                                                                */

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
hoga_libsecret_store_clear_async (HogaSecretStore     *store,
                                  const char          *profile,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_libsecret_store_clear_async);

  /* Without "kind", one call removes both keys of the profile. */
  secret_password_clear (get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "profile", profile,
                         NULL);
}

static gboolean
hoga_libsecret_store_clear_finish (HogaSecretStore  *store,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------- */

static void
secret_store_iface_init (HogaSecretStoreInterface *iface)
{
  iface->lookup_async = hoga_libsecret_store_lookup_async;
  iface->lookup_finish = hoga_libsecret_store_lookup_finish;
  iface->store_async = hoga_libsecret_store_store_async;
  iface->store_finish = hoga_libsecret_store_store_finish;
  iface->clear_async = hoga_libsecret_store_clear_async;
  iface->clear_finish = hoga_libsecret_store_clear_finish;
}

static void
hoga_libsecret_store_class_init (HogaLibsecretStoreClass *klass)
{
}

static void
hoga_libsecret_store_init (HogaLibsecretStore *self)
{
}

HogaLibsecretStore *
hoga_libsecret_store_new (void)
{
  return g_object_new (HOGA_TYPE_LIBSECRET_STORE, NULL);
}

static char *
lookup_one_sync (const char    *profile,
                 const char    *kind,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GError *local_error = NULL;
  char *password;

  password = secret_password_lookup_sync (get_schema (), cancellable, &local_error,
                                          "profile", profile,
                                          "kind", kind,
                                          NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, translate_error (local_error));
      return NULL;
    }
  return password != NULL ? take_password (password) : NULL;
}

/**
 * hoga_libsecret_store_lookup_sync:
 * @self: a store
 * @profile: the profile's nick
 * @cancellable: (nullable): a cancellable
 * @error: why the keyring could not be read
 *
 * The same as hoga_secret_store_lookup_async(), blocking.
 *
 * Returns: (transfer full) (nullable): the keys, each %NULL when not stored; %NULL with
 *   @error set when the keyring could not be read
 */
HogaSecretKeys *
hoga_libsecret_store_lookup_sync (HogaLibsecretStore  *self,
                                  const char          *profile,
                                  GCancellable        *cancellable,
                                  GError             **error)
{
  g_autoptr(HogaSecretKeys) keys = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (HOGA_IS_LIBSECRET_STORE (self), NULL);
  g_return_val_if_fail (profile != NULL && *profile != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keys = g_new0 (HogaSecretKeys, 1);
  keys->appkey = lookup_one_sync (profile, HOGA_SECRET_KIND_APPKEY, cancellable, &local_error);
  if (local_error == NULL)
    keys->secretkey = lookup_one_sync (profile, HOGA_SECRET_KIND_SECRETKEY, cancellable,
                                       &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&keys);
}
