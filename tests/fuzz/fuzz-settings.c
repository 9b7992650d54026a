/* fuzz-settings.c — libFuzzer target: hoga_settings_load_key_file() over any key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the text of a headless configuration file, read as hoga --headless reads
 * it. Whatever GKeyFile accepts, the loader must return settings or an error, never both
 * and never neither, and:
 *
 *  - settings it returns pass hoga_settings_validate(), copy equal, and survive a round
 *    trip: written back key by key from hoga_settings_get_value() and loaded again, they
 *    load without an error and compare equal;
 *  - an error is a HOGA_SETTINGS_ERROR that starts with "[group] key": a known key of a
 *    known group for a bad value or a conflict, a group and key of the file for an
 *    unknown key, a group of the file for an unknown group; from UTF-8 input, its message
 *    is UTF-8.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-glib.h"
#include "hoga-settings.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    g_error ("inconsistent settings loader: %s", what);
}

/* @message starts with "[group] name" followed by a space, a colon or nothing. */
static gboolean
names (const char *message,
       const char *group,
       const char *name)
{
  g_autofree char *prefix = g_strdup_printf ("[%s] %s", group, name != NULL ? name : "");
  char next;

  if (!g_str_has_prefix (message, prefix))
    return FALSE;
  next = message[strlen (prefix)];
  return name == NULL || next == ' ' || next == ':' || next == '\0';
}

/* A bad value or a conflict: a key the loader knows. */
static gboolean
names_known_key (const char *message)
{
  const char * const *groups = hoga_settings_list_groups ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          if (names (message, groups[g], keys[k]))
            return TRUE;
        }
    }
  return FALSE;
}

/* An unknown key or group: one the file has. */
static gboolean
names_file_entry (const char *message,
                  GKeyFile   *key_file,
                  gboolean    key)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = NULL;

      if (!key)
        {
          if (names (message, groups[g], NULL))
            return TRUE;
          continue;
        }
      keys = g_key_file_get_keys (key_file, groups[g], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          if (names (message, groups[g], keys[k]))
            return TRUE;
        }
    }
  return FALSE;
}

static void
check_error (const GError *error,
             GKeyFile     *key_file,
             gboolean      utf8_input)
{
  check (error != NULL, "NULL without an error");
  check (error->domain == HOGA_SETTINGS_ERROR, "error domain");
  check (error->message != NULL, "error without a message");
  if (utf8_input)
    check (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8");

  switch (error->code)
    {
    case HOGA_SETTINGS_ERROR_INVALID_VALUE:
    case HOGA_SETTINGS_ERROR_CONFLICT:
      check (names_known_key (error->message), "a bad value's error names no known key");
      break;
    case HOGA_SETTINGS_ERROR_UNKNOWN_KEY:
      check (names_file_entry (error->message, key_file, TRUE),
             "an unknown key's error names no key of the file");
      break;
    case HOGA_SETTINGS_ERROR_UNKNOWN_GROUP:
      check (names_file_entry (error->message, key_file, FALSE),
             "an unknown group's error names no group of the file");
      break;
    default:
      check (FALSE, "unknown error code");
    }
}

/* Every key of @settings as a key file would hold it. */
static GKeyFile *
write_back (const HogaSettings *settings)
{
  const char * const *groups = hoga_settings_list_groups ();
  GKeyFile *key_file = g_key_file_new ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GVariant) value = hoga_settings_get_value (settings, groups[g], keys[k]);

          check (value != NULL, "a listed key has no value");
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            g_key_file_set_string (key_file, groups[g], keys[k],
                                   g_variant_get_string (value, NULL));
          else
            {
              g_autofree char *text = g_variant_print (value, FALSE);

              g_key_file_set_value (key_file, groups[g], keys[k], text);
            }
        }
    }
  return key_file;
}

static gboolean
same_settings (const HogaSettings *a,
               const HogaSettings *b)
{
  const char * const *groups = hoga_settings_list_groups ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GVariant) va = hoga_settings_get_value (a, groups[g], keys[k]);
          g_autoptr(GVariant) vb = hoga_settings_get_value (b, groups[g], keys[k]);

          if (!g_variant_equal (va, vb))
            return FALSE;
        }
    }
  return hoga_settings_broker_equal (a, b);
}

static void
check_settings (const HogaSettings *settings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) copy = hoga_settings_copy (settings);
  g_autoptr(GKeyFile) written = write_back (settings);
  g_autoptr(HogaSettings) again = NULL;

  check (hoga_settings_validate (settings, &error), "loaded settings do not validate");
  check (same_settings (settings, copy), "a copy differs");

  again = hoga_settings_load_key_file (written, &error);
  if (again == NULL)
    g_error ("loaded settings do not load again: %s", error->message);
  check (same_settings (settings, again), "settings change over a round trip");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(HogaSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  /* What GKeyFile refuses never reaches the loader (hoga reports it as unreadable). */
  if (!g_key_file_load_from_data (key_file, (const char *) data, size, G_KEY_FILE_NONE, NULL))
    return 0;

  settings = hoga_settings_load_key_file (key_file, &error);
  if (settings == NULL)
    {
      check_error (error, key_file, g_utf8_validate ((const char *) data, size, NULL));
      return 0;
    }
  check (error == NULL, "settings and an error");
  check_settings (settings);
  return 0;
}
