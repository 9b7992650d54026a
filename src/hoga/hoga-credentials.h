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
  HOGA_CREDENTIALS_ERROR_NO_KEYRING,   /* the keyring could not be read */
} HogaCredentialsError;

#define HOGA_CREDENTIALS_ENV_APPKEY    "KIWOOM_APPKEY"
#define HOGA_CREDENTIALS_ENV_SECRETKEY "KIWOOM_SECRETKEY"

/* Kept in memory only and wiped when freed. */
typedef struct {
  char *appkey;
  char *secretkey;
} HogaCredentials;

GQuark           hoga_credentials_error_quark  (void);

/* KIWOOM_APPKEY and KIWOOM_SECRETKEY when both are set, else the keyring's entries for
 * @profile, where the desktop app's preferences save them (HogaLibsecretStore).
 * Synchronous: call it at start-up, before the main loop runs. */
HogaCredentials *hoga_credentials_lookup       (const char       *profile,
                                                GError          **error);
void             hoga_credentials_free         (HogaCredentials  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaCredentials, hoga_credentials_free)

G_END_DECLS
