/* hx-control.h — the loopback-only control endpoint used by tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "hx-exchange.h"

G_BEGIN_DECLS

#define HX_CONTROL_PATH "/hx/control"

/* Serves POST {"cmd":…} at HX_CONTROL_PATH on @server; see docs/hoga-exchange.md. */
void hx_control_register (HxExchange *exchange,
                          SoupServer *server);

G_END_DECLS
