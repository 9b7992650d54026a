/* hoga-secret-store.c — the secret store port: a profile's Kiwoom app key and secret key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-secret-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-secret-store.h"

G_DEFINE_QUARK (hoga-secret-store-error-quark, hoga_secret_store_error)

G_DEFINE_INTERFACE (HogaSecretStore, hoga_secret_store, G_TYPE_OBJECT)

static void
hoga_secret_store_default_init (HogaSecretStoreInterface *iface)
{
}

void
hoga_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  /* Not memset(): a store the compiler sees as dead right before free() may be dropped. */
  for (volatile char *p = secret; *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
}

void
hoga_secret_keys_free (HogaSecretKeys *keys)
{
  if (keys == NULL)
    return;

  g_clear_pointer (&keys->appkey, hoga_secret_free);
  g_clear_pointer (&keys->secretkey, hoga_secret_free);
  g_free (keys);
}

/**
 * hoga_secret_store_new_no_service_error:
 *
 * Returns: (transfer full): a new HOGA_SECRET_STORE_ERROR_NO_SERVICE error
 */
GError *
hoga_secret_store_new_no_service_error (void)
{
  return g_error_new_literal (HOGA_SECRET_STORE_ERROR, HOGA_SECRET_STORE_ERROR_NO_SERVICE,
                              _("No Secret Service is running, so the Kiwoom keys cannot be "
                                "kept in a keyring. Install and start GNOME Keyring "
                                "(gnome-keyring) or another Secret Service, or set "
                                "KIWOOM_APPKEY and KIWOOM_SECRETKEY in the environment "
                                "instead."));
}

void
hoga_secret_store_lookup_async (HogaSecretStore     *self,
                                const char          *profile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_SECRET_STORE (self));
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HOGA_SECRET_STORE_GET_IFACE (self)->lookup_async (self, profile, cancellable,
                                                    callback, user_data);
}

/**
 * hoga_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the keys, each %NULL when not stored; %NULL with
 *   @error set when the store could not be asked
 */
HogaSecretKeys *
hoga_secret_store_lookup_finish (HogaSecretStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (HOGA_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HOGA_SECRET_STORE_GET_IFACE (self)->lookup_finish (self, result, error);
}

void
hoga_secret_store_store_async (HogaSecretStore     *self,
                               const char          *profile,
                               const char          *appkey,
                               const char          *secretkey,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_SECRET_STORE (self));
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (appkey != NULL && *appkey != '\0');
  g_return_if_fail (secretkey != NULL && *secretkey != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HOGA_SECRET_STORE_GET_IFACE (self)->store_async (self, profile, appkey, secretkey,
                                                   cancellable, callback, user_data);
}

gboolean
hoga_secret_store_store_finish (HogaSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (HOGA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HOGA_SECRET_STORE_GET_IFACE (self)->store_finish (self, result, error);
}

void
hoga_secret_store_clear_async (HogaSecretStore     *self,
                               const char          *profile,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_SECRET_STORE (self));
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HOGA_SECRET_STORE_GET_IFACE (self)->clear_async (self, profile, cancellable,
                                                   callback, user_data);
}

gboolean
hoga_secret_store_clear_finish (HogaSecretStore  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (HOGA_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HOGA_SECRET_STORE_GET_IFACE (self)->clear_finish (self, result, error);
}
