/* hx-auth.c — app keys and access tokens (au10001 / au10002)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens are random, not seeded: two exchanges started with the same --seed must still
 * hand out different tokens, and nothing may depend on guessing one. They expire in real
 * time (not on the session clock) because that is how a client experiences Kiwoom's
 * 24-hour tokens. Re-issuing keeps the app key's earlier tokens valid, as Kiwoom does.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <string.h>

#include "hoga-krx.h"
#include "hx-auth.h"
#include "hx-types.h"

/* 64 random bytes in unpadded base64url: 86 characters, the length of Kiwoom's tokens. */
#define TOKEN_BYTES 64

typedef struct {
  char   *appkey;
  gint64  expires_us;    /* g_get_real_time () */
} Token;

struct _HxAuth
{
  GObject     parent_instance;

  guint       lifetime_s;
  GRand      *rand;
  GHashTable *credentials;   /* appkey → secretkey; NULL accepts any pair */
  GHashTable *tokens;        /* token → Token */
};

G_DEFINE_FINAL_TYPE (HxAuth, hx_auth, G_TYPE_OBJECT)

static void
token_free (gpointer data)
{
  Token *token = data;

  g_free (token->appkey);
  g_free (token);
}

static char *
hx_auth_new_token_string (HxAuth *self)
{
  guint8 bytes[TOKEN_BYTES];
  g_autofree char *encoded = NULL;
  GString *token;

  for (guint i = 0; i < TOKEN_BYTES; i += 4)
    {
      guint32 word = g_rand_int (self->rand);

      memcpy (bytes + i, &word, sizeof word);
    }

  encoded = g_base64_encode (bytes, sizeof bytes);
  token = g_string_sized_new (strlen (encoded));
  for (const char *c = encoded; *c != '\0' && *c != '='; c++)
    {
      if (*c == '+')
        g_string_append_c (token, '-');
      else if (*c == '/')
        g_string_append_c (token, '_');
      else
        g_string_append_c (token, *c);
    }
  return g_string_free (token, FALSE);
}

/* The first four characters of an app key: enough to tell keys apart in a log. */
static char *
appkey_hint (const char *appkey)
{
  return g_strndup (appkey, 4);
}

static gboolean
hx_auth_check_credentials (HxAuth      *self,
                           const char  *appkey,
                           const char  *secretkey,
                           GError     **error)
{
  const char *expected;

  if (appkey == NULL || *appkey == '\0' || secretkey == NULL || *secretkey == '\0')
    {
      g_set_error_literal (error, HX_ERROR, 8020,
                           "입력파라미터로 appkey 또는 secretkey가 들어오지 않았습니다.");
      return FALSE;
    }

  if (self->credentials == NULL)
    return TRUE;

  if (!g_hash_table_lookup_extended (self->credentials, appkey, NULL, (gpointer *)&expected))
    {
      g_set_error_literal (error, HX_ERROR, 8001, "App Key와 Secret Key 검증에 실패했습니다");
      return FALSE;
    }
  if (!g_str_equal (expected, secretkey))
    {
      g_set_error_literal (error, HX_ERROR, 8002,
                           "App Key와 Secret Key 검증에 실패했습니다. 실패사유=secretkey 불일치");
      return FALSE;
    }
  return TRUE;
}

static void
hx_auth_finalize (GObject *object)
{
  HxAuth *self = (HxAuth *)object;

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->credentials, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);

  G_OBJECT_CLASS (hx_auth_parent_class)->finalize (object);
}

static void
hx_auth_class_init (HxAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hx_auth_finalize;
}

static void
hx_auth_init (HxAuth *self)
{
  /* g_rand_new () seeds from /dev/urandom. */
  self->rand = g_rand_new ();
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);
}

HxAuth *
hx_auth_new (guint lifetime_s)
{
  HxAuth *self;

  g_return_val_if_fail (lifetime_s > 0, NULL);

  self = g_object_new (HX_TYPE_AUTH, NULL);
  self->lifetime_s = lifetime_s;
  return self;
}

void
hx_auth_add_credentials (HxAuth     *self,
                         const char *appkey,
                         const char *secretkey)
{
  g_return_if_fail (HX_IS_AUTH (self));
  g_return_if_fail (appkey != NULL && *appkey != '\0');
  g_return_if_fail (secretkey != NULL && *secretkey != '\0');

  if (self->credentials == NULL)
    self->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (self->credentials, g_strdup (appkey), g_strdup (secretkey));
}

const char *
hx_auth_issue (HxAuth      *self,
               const char  *appkey,
               const char  *secretkey,
               char         expires_dt[15],
               GError     **error)
{
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) kst = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *hint = NULL;
  Token *token;
  char *value;
  gint64 now_us;

  g_return_val_if_fail (HX_IS_AUTH (self), NULL);
  g_return_val_if_fail (expires_dt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hx_auth_check_credentials (self, appkey, secretkey, error))
    return NULL;

  now_us = g_get_real_time ();
  token = g_new0 (Token, 1);
  token->appkey = g_strdup (appkey);
  token->expires_us = now_us + (gint64)self->lifetime_s * G_USEC_PER_SEC;

  /* Truncated to whole seconds: expires_dt is never later than the real expiry. */
  expires = g_date_time_new_from_unix_utc (token->expires_us / G_USEC_PER_SEC);
  kst = g_date_time_to_timezone (expires, hoga_krx_time_zone ());
  formatted = g_date_time_format (kst, "%Y%m%d%H%M%S");
  g_strlcpy (expires_dt, formatted, 15);

  /* 512 random bits cannot collide in practice; the loop only makes it certain. */
  value = hx_auth_new_token_string (self);
  while (g_hash_table_contains (self->tokens, value))
    {
      g_free (value);
      value = hx_auth_new_token_string (self);
    }

  g_hash_table_insert (self->tokens, value, token);

  hint = appkey_hint (appkey);
  g_debug ("Issued a token for app key %s… expiring %s", hint, expires_dt);

  return value;
}

const char *
hx_auth_lookup (HxAuth     *self,
                const char *token)
{
  Token *entry;

  g_return_val_if_fail (HX_IS_AUTH (self), NULL);

  if (token == NULL || *token == '\0')
    return NULL;

  entry = g_hash_table_lookup (self->tokens, token);
  if (entry == NULL)
    return NULL;

  if (g_get_real_time () >= entry->expires_us)
    {
      g_hash_table_remove (self->tokens, token);
      return NULL;
    }
  return entry->appkey;
}

gboolean
hx_auth_revoke (HxAuth      *self,
                const char  *appkey,
                const char  *secretkey,
                const char  *token,
                GError     **error)
{
  g_autofree char *hint = NULL;
  Token *entry;

  g_return_val_if_fail (HX_IS_AUTH (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!hx_auth_check_credentials (self, appkey, secretkey, error))
    return FALSE;

  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, HX_ERROR, 8016,
                           "Access Token을 폐기하는데 실패했습니다. 입력값에 Token이 들어오지 않았습니다");
      return FALSE;
    }

  entry = g_hash_table_lookup (self->tokens, token);
  if (entry == NULL || !g_str_equal (entry->appkey, appkey)
      || g_get_real_time () >= entry->expires_us)
    {
      g_set_error_literal (error, HX_ERROR, 8015,
                           "Access Token을 폐기하는데 실패했습니다. 실패사유=유효하지 않은 Token입니다");
      return FALSE;
    }

  g_hash_table_remove (self->tokens, token);

  hint = appkey_hint (appkey);
  g_debug ("Revoked a token of app key %s…", hint);

  return TRUE;
}

void
hx_auth_invalidate_all (HxAuth *self)
{
  g_return_if_fail (HX_IS_AUTH (self));

  g_message ("Invalidating %u access tokens", g_hash_table_size (self->tokens));
  g_hash_table_remove_all (self->tokens);
}
