/* hoga-libsecret-store.h — the secret store port on libsecret (the Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hoga-secret-store.h"

G_BEGIN_DECLS

/* The libsecret schema: attributes "profile" (a profile's nick) and "kind"
 * (HOGA_SECRET_KIND_APPKEY or HOGA_SECRET_KIND_SECRETKEY). Attributes are not encrypted,
 * so they never hold a secret. */
#define HOGA_LIBSECRET_STORE_SCHEMA_NAME "io.github.hoga.Hoga.Credentials"

#define HOGA_TYPE_LIBSECRET_STORE (hoga_libsecret_store_get_type ())
G_DECLARE_FINAL_TYPE (HogaLibsecretStore, hoga_libsecret_store, HOGA, LIBSECRET_STORE, GObject)

HogaLibsecretStore *hoga_libsecret_store_new          (void);

/* Blocks: for the headless program at start-up, before the main loop runs. */
HogaSecretKeys     *hoga_libsecret_store_lookup_sync  (HogaLibsecretStore  *self,
                                                       const char          *profile,
                                                       GCancellable        *cancellable,
                                                       GError             **error);

G_END_DECLS
