/*
 * A stand-in for a reader vendor's sdtapi library, for the tests: it exports the standard sdtapi functions
 * (and the common Linux WLT decoder entry point `unpack`) over test cards the test writes to files, so the
 * adapter goes through the real FFI path (koffi → dlopen → these C functions) end to end.
 *
 * State lives in the folder named by the environment variable FAKE_SDTAPI_DIR:
 *   card.bin   the card on the reader: 256-byte text block then 1024-byte photo (absent: no card)
 *   fault      one word: lift (card lifted mid-read), sam (SAM failure on find), long (text length
 *              overflow reported), unplugged (the port cannot be opened, reads fail), slow (a read takes
 *              300 ms, as real readers take a few hundred)
 * A card once read is not found again until card.bin is removed (as real readers behave).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int already_read = 0;
static int open_port = 0;

static const char *path_of(const char *name, char *out, size_t size) {
  const char *dir = getenv("FAKE_SDTAPI_DIR");
  snprintf(out, size, "%s/%s", dir ? dir : ".", name);
  return out;
}

static int fault_is(const char *word) {
  char path[4096];
  char text[64] = {0};
  FILE *f = fopen(path_of("fault", path, sizeof path), "r");
  if (!f) return 0;
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  return strncmp(text, word, strlen(word)) == 0;
}

static int read_card(unsigned char *text, unsigned char *photo) {
  char path[4096];
  FILE *f = fopen(path_of("card.bin", path, sizeof path), "rb");
  if (!f) return 0;
  size_t a = fread(text, 1, 256, f);
  size_t b = fread(photo, 1, 1024, f);
  fclose(f);
  return a == 256 && b == 1024;
}

static int card_present(void) {
  char path[4096];
  FILE *f = fopen(path_of("card.bin", path, sizeof path), "rb");
  if (!f) return 0;
  fclose(f);
  return 1;
}

int SDT_OpenPort(int port) {
  if (!((port >= 1 && port <= 16) || (port >= 1001 && port <= 1016))) return 0x01;
  if (fault_is("unplugged")) return 0x01;
  open_port = port;
  return 0x90;
}

int SDT_ClosePort(int port) {
  if (port == open_port) open_port = 0;
  return 0x90;
}

int SDT_StartFindIDCard(int port, unsigned char *mana_info, int if_open) {
  (void)if_open;
  if (port != open_port || fault_is("unplugged")) return 0x02;
  if (fault_is("sam")) return 0x60;
  memset(mana_info, 0, 4);
  if (!card_present()) {
    already_read = 0;
    return 0x80;
  }
  return already_read ? 0x80 : 0x9F;
}

int SDT_SelectIDCard(int port, unsigned char *mana_msg, int if_open) {
  (void)if_open;
  if (port != open_port || fault_is("unplugged")) return 0x02;
  memset(mana_msg, 0, 8);
  return card_present() ? 0x90 : 0x81;
}

int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *text_len, unsigned char *photo,
                    unsigned int *photo_len, int if_open) {
  (void)if_open;
  if (port != open_port || fault_is("unplugged")) return 0x02;
  if (fault_is("lift")) {
    char path[4096];
    remove(path_of("card.bin", path, sizeof path));
    return 0x41;
  }
  if (fault_is("slow")) usleep(300 * 1000);
  if (!read_card(text, photo)) return 0x41;
  *text_len = fault_is("long") ? 300 : 256;
  *photo_len = 1024;
  already_read = 1;
  return 0x90;
}

int SDT_GetSAMIDToStr(int port, char *out, int if_open) {
  (void)if_open;
  if (port != open_port) return 0x02;
  strcpy(out, "05.01-20101216-0016541549-2212183410");
  return 0x90;
}

/* The Linux WLT decoder's usual entry point: 1024 bytes of WLT in, a 102 x 126 24-bit BMP out
 * (38862 bytes). This fake paints a pattern derived from the WLT bytes. Returns 1 on success. */
int unpack(const unsigned char *src, unsigned char *dst, int bmp_save) {
  (void)bmp_save;
  const int w = 102, h = 126, row = (w * 3 + 3) & ~3, size = 54 + row * h;
  memset(dst, 0, size);
  dst[0] = 'B'; dst[1] = 'M';
  dst[2] = size & 0xff; dst[3] = (size >> 8) & 0xff; dst[4] = (size >> 16) & 0xff;
  dst[10] = 54; dst[14] = 40;
  dst[18] = w; dst[22] = h; dst[26] = 1; dst[28] = 24;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      unsigned char *p = dst + 54 + y * row + x * 3;
      unsigned char v = src[(y * w + x) % 1024];
      p[0] = v; p[1] = (unsigned char)(x * 2); p[2] = (unsigned char)(y * 2);
    }
  return 1;
}
