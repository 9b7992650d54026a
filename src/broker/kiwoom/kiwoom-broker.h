/* kiwoom-broker.h — HogaBroker for Kiwoom Securities: REST + WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "kiwoom-rest.h"
#include "kiwoom-socket.h"

G_BEGIN_DECLS

#define KIWOOM_TYPE_BROKER (kiwoom_broker_get_type ())
G_DECLARE_FINAL_TYPE (KiwoomBroker, kiwoom_broker, KIWOOM, BROKER, GObject)

/* @rest_url: "https://api.kiwoom.com" (real), "https://mockapi.kiwoom.com" (mock) or the
 * simulated exchange's; @ws_url likewise. Orders go to @venue (mock supports KRX only). */
KiwoomBroker *kiwoom_broker_new         (const char   *rest_url,
                                         const char   *ws_url,
                                         const char   *appkey,
                                         const char   *secretkey);
KiwoomRest   *kiwoom_broker_get_rest    (KiwoomBroker *self);
KiwoomSocket *kiwoom_broker_get_socket  (KiwoomBroker *self);
void          kiwoom_broker_set_venue   (KiwoomBroker *self,
                                         HogaVenue     venue);

G_END_DECLS
