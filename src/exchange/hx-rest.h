/* hx-rest.h — the REST server: /oauth2 and the /api/dostk TRs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "hx-exchange.h"

G_BEGIN_DECLS

#define HX_TYPE_REST (hx_rest_get_type ())
G_DECLARE_FINAL_TYPE (HxRest, hx_rest, HX, REST, GObject)

/* The exchange is borrowed (it owns the HxRest). */
HxRest      *hx_rest_new         (HxExchange  *exchange);
/* Listens on 127.0.0.1:@port (0 = any). */
gboolean     hx_rest_listen      (HxRest      *self,
                                  guint16      port,
                                  GError     **error);
/* "http://127.0.0.1:PORT" */
char        *hx_rest_get_url     (HxRest      *self);
/* For extra handlers (the control endpoint) on the same server. */
SoupServer  *hx_rest_get_server  (HxRest      *self);
/* Releases requests held by the rest-hang fault (they then get their normal reply). */
void         hx_rest_release_hung(HxRest      *self);

G_END_DECLS
