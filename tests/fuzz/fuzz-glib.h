/* fuzz-glib.h — GLib set-up shared by the libFuzzer targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A critical or a warning is a bug found, whichever library logs it (a failed
 * g_return_if_fail() in json-glib is a wrong call in our code): it aborts, so libFuzzer
 * keeps the input. Messages, info and debug lines are dropped; they are the code under test
 * saying what it ignored, millions of times a run.
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);

/* GLib 2.74's g_key_file_get_string() sets its own error twice on a value with two bad
 * escapes (an unknown one such as \w, and a backslash at the end of the line) and warns
 * about itself; the caller's error is set once and correctly. Only that warning is let
 * through: our code never sets a G_KEY_FILE_ERROR, so any other such warning is ours. */
static gboolean
fuzz_is_glib_key_file_bug (const GLogField *fields,
                           gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
          && g_str_has_prefix (fields[i].value, "GError set over the top")
          && strstr (fields[i].value, "The overwriting error message was: Key file contains")
             != NULL)
        return TRUE;
    }
  return FALSE;
}

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  if ((log_level & G_LOG_LEVEL_WARNING) && fuzz_is_glib_key_file_bug (fields, n_fields))
    return G_LOG_WRITER_HANDLED;

  g_log_writer_default (log_level, fields, n_fields, user_data);
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}
