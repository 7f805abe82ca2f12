/**
 * @file hash.c
 * @brief SHA-256 through OpenSSL's EVP interface (see hash.h).
 */
#include "hash.h"

#include <openssl/evp.h>
#include <stdio.h>

/** @brief Write the first 32 bytes of @p md as hex. */
static void hash_hex(const unsigned char *md, unsigned int n, char out[65])
{
  for (unsigned int i = 0; i < n && i < 32; i++)
    sprintf(out + 2 * i, "%02x", md[i]);
  out[64] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[65])
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
  hash_hex(md, n, out);
}

int sha256_file_hex(const char *path, char out[65])
{
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
  unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  size_t k;
  /* streamed: the same digest as hashing the whole file at once */
  while (ok && (k = fread(buf, 1, sizeof buf, f)) > 0)
    ok = EVP_DigestUpdate(ctx, buf, k) == 1;
  ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &n) == 1;
  EVP_MD_CTX_free(ctx);
  fclose(f);
  if (!ok) return -1;
  hash_hex(md, n, out);
  return 0;
}
