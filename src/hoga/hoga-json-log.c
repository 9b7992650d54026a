/* hoga-json-log.c — structured GLib logging as one JSON object per line on stdout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Headless output is read by programs (a supervisor, jq, a log shipper), so every line on
 * stdout is one complete JSON object and nothing else is ever written there:
 *   {"time":"2026-11-23T09:00:05.123456+09:00","level":"message","domain":"hoga-engine",
 *    "message":"Bought 10 shares at 95600 KRW","code":"066570"}
 * with "code" and "event" present only when the line has one.
 * Times are Asia/Seoul whatever the machine's time zone, like everything in Hoga.
 * Informational lines are the point of headless mode and are always written; debug lines
 * follow G_MESSAGES_DEBUG as usual.
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "hoga-json-log.h"
#include "hoga-krx.h"

static const char *
level_name (GLogLevelFlags log_level)
{
  if (log_level & G_LOG_LEVEL_ERROR)
    return "error";
  if (log_level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (log_level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (log_level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (log_level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* GLib passes a length of -1 for NUL-terminated values. */
static char *
field_text (const GLogField *field)
{
  gssize length = field->length;

  if (field->value == NULL)
    return NULL;
  if (length < 0)
    length = (gssize) strlen (field->value);

  /* A stray non-UTF-8 byte (a file name, a peer's text) must not break the line's JSON. */
  return g_utf8_make_valid (field->value, length);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* One line of JSON, without the newline; @when in any zone is written in Asia/Seoul. */
static char *
format_fields (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               GDateTime       *when)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) kst = hoga_krx_to_kst (when);
  /* Not g_date_time_format_iso8601(): it writes the offset as "+09", which many
   * ISO 8601 readers refuse. */
  g_autofree char *stamp = g_date_time_format (kst, "%Y-%m-%dT%H:%M:%S.%f%:z");
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  g_autofree char *event = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && domain == NULL)
        domain = field_text (&fields[i]);
      else if (g_str_equal (fields[i].key, "MESSAGE") && message == NULL)
        message = field_text (&fields[i]);
      else if (g_str_equal (fields[i].key, HOGA_JSON_LOG_FIELD_CODE) && code == NULL)
        code = field_text (&fields[i]);
      else if (g_str_equal (fields[i].key, HOGA_JSON_LOG_FIELD_EVENT) && event == NULL)
        event = field_text (&fields[i]);
    }

  json_builder_begin_object (builder);
  add_member (builder, "time", stamp);
  add_member (builder, "level", level_name (log_level));
  add_member (builder, "domain", domain != NULL ? domain : "");
  add_member (builder, "message", message != NULL ? message : "");
  if (code != NULL && *code != '\0')
    add_member (builder, "code", code);
  if (event != NULL && *event != '\0')
    add_member (builder, "event", event);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static GLogWriterOutput
write_json_line (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *json = NULL;
  g_autofree char *line = NULL;
  const char *domain = NULL;

  /* GLib always gives the domain NUL-terminated, as the check below needs it. */
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_DEBUG) && g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  now = g_date_time_new_now_utc ();
  json = format_fields (log_level, fields, n_fields, now);
  line = g_strconcat (json, "\n", NULL);

  /* One stdio call per line: stdio locks the stream around it, so lines written from the
   * journal's worker thread never interleave with the main loop's. */
  fputs (line, stdout);
  fflush (stdout);
  return G_LOG_WRITER_HANDLED;
}

/**
 * hoga_json_log_install:
 *
 * Makes every structured and unstructured GLib log message of the process a JSON line on
 * stdout. Call it once, before anything logs.
 */
void
hoga_json_log_install (void)
{
  g_log_set_writer_func (write_json_line, NULL, NULL);
}

void
hoga_json_log_message (const char     *domain,
                       GLogLevelFlags  log_level,
                       const char     *event,
                       const char     *code,
                       const char     *message)
{
  GLogField fields[4];
  gsize n_fields = 0;

  g_return_if_fail (domain != NULL);
  g_return_if_fail (message != NULL);

  fields[n_fields++] = (GLogField) { "GLIB_DOMAIN", domain, -1 };
  fields[n_fields++] = (GLogField) { "MESSAGE", message, -1 };
  if (event != NULL)
    fields[n_fields++] = (GLogField) { HOGA_JSON_LOG_FIELD_EVENT, event, -1 };
  if (code != NULL)
    fields[n_fields++] = (GLogField) { HOGA_JSON_LOG_FIELD_CODE, code, -1 };

  if (log_level & G_LOG_LEVEL_ERROR)
    log_level = G_LOG_LEVEL_CRITICAL;
  log_level &= G_LOG_LEVEL_MASK;
  if (log_level == 0)
    log_level = G_LOG_LEVEL_INFO;

  g_log_structured_array (log_level, fields, n_fields);
}
