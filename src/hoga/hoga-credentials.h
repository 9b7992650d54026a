/* hoga-credentials.h — the Kiwoom app key and secret key: environment or keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HOGA_CREDENTIALS_ERROR (hoga_credentials_error_quark ())

typedef enum {
  HOGA_CREDENTIALS_ERROR_NOT_FOUND,    /* neither the environment nor the keyring has them */
  HOGA_CREDENTIALS_ERROR_INCOMPLETE,   /* only one of the two */
  HOGA_CREDENTIALS_ERROR_NO_KEYRING,   /* no Secret Service to ask */
} HogaCredentialsError;

/* The libsecret schema the desktop app stores under: attributes "profile" (a profile's
 * nick) and "kind" ("appkey" or "secretkey"). The values are the secrets; attributes are
 * not encrypted, so they never hold one. */
#define HOGA_CREDENTIALS_SCHEMA_NAME "io.github.hoga.Hoga.Credentials"

#define HOGA_CREDENTIALS_ENV_APPKEY    "KIWOOM_APPKEY"
#define HOGA_CREDENTIALS_ENV_SECRETKEY "KIWOOM_SECRETKEY"

/* Kept in memory only and wiped when freed. */
typedef struct {
  char *appkey;
  char *secretkey;
} HogaCredentials;

GQuark           hoga_credentials_error_quark  (void);

/* KIWOOM_APPKEY and KIWOOM_SECRETKEY when both are set, else the keyring's entries for
 * @profile. Synchronous: call it at start-up, before the main loop runs. */
HogaCredentials *hoga_credentials_lookup       (const char       *profile,
                                                GError          **error);
void             hoga_credentials_free         (HogaCredentials  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaCredentials, hoga_credentials_free)

G_END_DECLS
