/* fake-notifications.h — a notification server on the test's session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns org.freedesktop.Notifications and records the summary of every Notify call, so the
 * UI tests can assert which notifications the app sent (and GIO has a server to talk to).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FakeNotifications FakeNotifications;

/* Blocks (bounded) until the name is owned; NULL when there is no session bus. */
FakeNotifications *fake_notifications_start   (void);
void               fake_notifications_stop    (FakeNotifications *self);
/* The summaries received so far, oldest first. */
GPtrArray         *fake_notifications_get_summaries (FakeNotifications *self);

G_END_DECLS
