/* hoga-credentials.c — the Kiwoom app key and secret key: environment or keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §1.4: the keys live in libsecret; headless mode may take them from the
 * environment instead. There is no file fallback: without a Secret Service the user is told
 * so and nothing is stored or read elsewhere. Neither key ever reaches a message.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-credentials.h"
#include "hoga-libsecret-store.h"

G_DEFINE_QUARK (hoga-credentials-error-quark, hoga_credentials_error)

/* An empty variable counts as unset: `KIWOOM_APPKEY= hoga …` is how one is cleared. */
static const char *
get_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The desktop app's preferences save the keys through the same adapter. */
static HogaSecretKeys *
lookup_keyring (const char  *profile,
                GError     **error)
{
  g_autoptr(HogaLibsecretStore) store = hoga_libsecret_store_new ();
  g_autoptr(GError) local_error = NULL;
  HogaSecretKeys *keys;

  keys = hoga_libsecret_store_lookup_sync (store, profile, NULL, &local_error);
  if (keys != NULL)
    return keys;

  /* The store's message says what to do: start a keyring, or use the environment. */
  g_set_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_NO_KEYRING,
               /* Translators: the profile (not translated), then the keyring's reason */
               _("Cannot read the Kiwoom keys of profile %s: %s"),
               profile, local_error->message);
  return NULL;
}

/**
 * hoga_credentials_lookup:
 * @profile: the profile's nick: the keyring's "profile" attribute
 * @error: why there are none
 *
 * Returns: (transfer full) (nullable): both keys, or %NULL with @error set
 */
HogaCredentials *
hoga_credentials_lookup (const char  *profile,
                         GError     **error)
{
  g_autoptr(HogaCredentials) self = NULL;
  g_autoptr(HogaSecretKeys) keys = NULL;
  const char *env_appkey;
  const char *env_secretkey;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  env_appkey = get_env (HOGA_CREDENTIALS_ENV_APPKEY);
  env_secretkey = get_env (HOGA_CREDENTIALS_ENV_SECRETKEY);
  self = g_new0 (HogaCredentials, 1);

  /* Half from the environment and half from the keyring would pair keys of two different
   * apps without the user noticing; say which one is missing instead. */
  if ((env_appkey == NULL) != (env_secretkey == NULL))
    {
      g_set_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_INCOMPLETE,
                   /* Translators: the variable that is set, then the one that is not */
                   _("%s is set but %s is not: set both, or neither to use the keyring"),
                   env_appkey != NULL ? HOGA_CREDENTIALS_ENV_APPKEY
                                      : HOGA_CREDENTIALS_ENV_SECRETKEY,
                   env_appkey != NULL ? HOGA_CREDENTIALS_ENV_SECRETKEY
                                      : HOGA_CREDENTIALS_ENV_APPKEY);
      return NULL;
    }

  if (env_appkey != NULL)
    {
      self->appkey = g_strdup (env_appkey);
      self->secretkey = g_strdup (env_secretkey);
      return g_steal_pointer (&self);
    }

  keys = lookup_keyring (profile, error);
  if (keys == NULL)
    return NULL;
  self->appkey = g_steal_pointer (&keys->appkey);
  self->secretkey = g_steal_pointer (&keys->secretkey);

  if (self->appkey == NULL && self->secretkey == NULL)
    {
      g_set_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_NOT_FOUND,
                   /* Translators: the profile (not translated) */
                   _("No Kiwoom keys for profile %s: set KIWOOM_APPKEY and "
                     "KIWOOM_SECRETKEY, or store them in the keyring with the desktop app"),
                   profile);
      return NULL;
    }
  if (self->appkey == NULL || self->secretkey == NULL)
    {
      g_set_error (error, HOGA_CREDENTIALS_ERROR, HOGA_CREDENTIALS_ERROR_INCOMPLETE,
                   /* Translators: the profile (not translated), then "appkey" or "secretkey" */
                   _("The keyring holds only one Kiwoom key for profile %s (%s is missing): "
                     "store both with the desktop app"),
                   profile, self->appkey == NULL ? HOGA_SECRET_KIND_APPKEY
                                                 : HOGA_SECRET_KIND_SECRETKEY);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
hoga_credentials_free (HogaCredentials *self)
{
  if (self == NULL)
    return;

  hoga_secret_free (self->appkey);
  hoga_secret_free (self->secretkey);
  g_free (self);
}
