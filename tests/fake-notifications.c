/* fake-notifications.c — a notification server on the test's session bus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fake-notifications.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

struct _FakeNotifications {
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  guint            object_id;
  guint            owner_id;
  gboolean         owned;
  guint32          next_id;
  GPtrArray       *summaries;
};

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  FakeNotifications *self = user_data;

  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (self->summaries, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++self->next_id));
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    {
      const char *capabilities[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", capabilities));
    }
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "fake", "hoga", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((FakeNotifications *) user_data)->owned = TRUE;
}

FakeNotifications *
fake_notifications_start (void)
{
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  FakeNotifications *self;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  if (connection == NULL)
    return NULL;

  self = g_new0 (FakeNotifications, 1);
  self->connection = g_steal_pointer (&connection);
  self->summaries = g_ptr_array_new_with_free_func (g_free);
  self->info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  self->object_id = g_dbus_connection_register_object (self->connection,
                                                       "/org/freedesktop/Notifications",
                                                       self->info->interfaces[0], &vtable,
                                                       self, NULL, NULL);
  self->owner_id = g_bus_own_name_on_connection (self->connection,
                                                 "org.freedesktop.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_REPLACE,
                                                 name_acquired_cb, NULL, self, NULL);
  while (!self->owned && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (self->owned);
  return self;
}

void
fake_notifications_stop (FakeNotifications *self)
{
  if (self == NULL)
    return;
  g_bus_unown_name (self->owner_id);
  g_dbus_connection_unregister_object (self->connection, self->object_id);
  g_dbus_node_info_unref (self->info);
  g_ptr_array_unref (self->summaries);
  g_object_unref (self->connection);
  g_free (self);
}

GPtrArray *
fake_notifications_get_summaries (FakeNotifications *self)
{
  return self->summaries;
}
