/* hoga-secret-store.h — the secret store port: a profile's Kiwoom app key and secret key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences save the keys through this port and the program reads them back; the
 * adapter in store/ keeps them in the Secret Service (libsecret). Nothing here knows where
 * the keys end up. An adapter never writes them anywhere else: without a Secret Service it
 * fails with HOGA_SECRET_STORE_ERROR_NO_SERVICE.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HOGA_SECRET_STORE_ERROR (hoga_secret_store_error_quark ())

typedef enum {
  HOGA_SECRET_STORE_ERROR_NO_SERVICE,  /* no Secret Service is running: nothing can be kept */
  HOGA_SECRET_STORE_ERROR_FAILED,      /* the service refused or failed */
} HogaSecretStoreError;

/* The kinds a store keeps for each profile; also the libsecret "kind" attribute. */
#define HOGA_SECRET_KIND_APPKEY    "appkey"
#define HOGA_SECRET_KIND_SECRETKEY "secretkey"

/* A profile's keys, each NULL when it is not stored. The strings are wiped when freed. */
typedef struct {
  char *appkey;
  char *secretkey;
} HogaSecretKeys;

void            hoga_secret_keys_free          (HogaSecretKeys   *keys);
/* Overwrites @secret with zeros, then frees it. */
void            hoga_secret_free               (char             *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaSecretKeys, hoga_secret_keys_free)

#define HOGA_TYPE_SECRET_STORE (hoga_secret_store_get_type ())
G_DECLARE_INTERFACE (HogaSecretStore, hoga_secret_store, HOGA, SECRET_STORE, GObject)

struct _HogaSecretStoreInterface
{
  GTypeInterface parent_iface;

  void            (*lookup_async)  (HogaSecretStore      *self,
                                    const char           *profile,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  HogaSecretKeys *(*lookup_finish) (HogaSecretStore      *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  void            (*store_async)   (HogaSecretStore      *self,
                                    const char           *profile,
                                    const char           *appkey,
                                    const char           *secretkey,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean        (*store_finish)  (HogaSecretStore      *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  void            (*clear_async)   (HogaSecretStore      *self,
                                    const char           *profile,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean        (*clear_finish)  (HogaSecretStore      *self,
                                    GAsyncResult         *result,
                                    GError              **error);
};

GQuark          hoga_secret_store_error_quark           (void);
/* HOGA_SECRET_STORE_ERROR_NO_SERVICE with the message every adapter gives the user: what
 * is missing and the two ways out. */
GError         *hoga_secret_store_new_no_service_error  (void);

/* @profile is a profile's nick ("mock", "real", "custom"). The result always holds a
 * HogaSecretKeys; either key, or both, may be NULL when not stored. */
void            hoga_secret_store_lookup_async  (HogaSecretStore      *self,
                                                 const char           *profile,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
HogaSecretKeys *hoga_secret_store_lookup_finish (HogaSecretStore      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* Replaces both keys of @profile; neither may be empty. */
void            hoga_secret_store_store_async   (HogaSecretStore      *self,
                                                 const char           *profile,
                                                 const char           *appkey,
                                                 const char           *secretkey,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        hoga_secret_store_store_finish  (HogaSecretStore      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* Forgets both keys of @profile; nothing stored is not an error. */
void            hoga_secret_store_clear_async   (HogaSecretStore      *self,
                                                 const char           *profile,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        hoga_secret_store_clear_finish  (HogaSecretStore      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
