/* gpiosim.h - a simulated GPIO chip from the kernel's gpio-sim, for the C
 * tests that drive the real GPIO character device (as libgpiod's
 * tests/gpiosim does): one bank with named lines, made live through
 * configfs; a line pulled down or up as a contact to GND or its release;
 * removed again. Needs root, configfs mounted and the gpio-sim module:
 * without them gpiosim_available() is false and the test skips (77).
 * Its shell twin for the VM rig is sim_create/sim_remove in
 * tests/hw/vm/lib.sh (one bank named bank0 there too).
 *
 *   struct gpiosim sim;
 *   const struct gpiosim_line lines[] = { { 0, "REPCUE_BTN" } };
 *   if (!gpiosim_available()) SKIP(...);
 *   r = gpiosim_create(&sim, "repcue-test", 4, lines, 1);   // 0 or -errno
 *   gpiosim_pull(&sim, 0, false);                            // pressed
 *   gpiosim_remove(&sim);
 *
 * Everything is static, as in harness.h. */
#ifndef REPCUE_TESTS_GPIOSIM_H
#define REPCUE_TESTS_GPIOSIM_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GPIOSIM_CONFIGFS "/sys/kernel/config/gpio-sim"

struct gpiosim_line {
	int offset;
	const char *name;   /* the line's name, found by gpio_line_spec.name */
};

struct gpiosim {
	char dir[128];   /* GPIOSIM_CONFIGFS/NAME */
	char chip[64];   /* gpiochipN, once live */
	char sys[256];   /* /sys/devices/platform/DEV/CHIP: sim_gpioN/pull below it */
};

/* 0 or -errno; text written whole or not at all */
__attribute__((unused))
static int gpiosim_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : n == (ssize_t)strlen(text) ? 0 : -EIO;
}

/* The file's first line, without its newline; 0 or -errno. */
__attribute__((unused))
static int gpiosim_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Whether gpio-sim can be tried here: its configfs folder is writable. */
__attribute__((unused))
static bool gpiosim_available(void)
{
	return access(GPIOSIM_CONFIGFS, W_OK) == 0;
}

/* Removes the line folders in a bank folder, then the bank; 0 if it was one. */
__attribute__((unused))
static int gpiosim_remove_bank(const char *bank)
{
	DIR *d = opendir(bank);
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char line[512];

		if (strncmp(e->d_name, "line", 4) != 0)
			continue;
		if ((size_t)snprintf(line, sizeof(line), "%s/%s", bank, e->d_name) < sizeof(line))
			rmdir(line);
	}
	closedir(d);
	return rmdir(bank) < 0 ? -errno : 0;
}

/* Takes down the chip at dir, or what a failed create or an earlier run
 * that died left of it (whatever its banks were named); anything missing
 * is skipped. */
__attribute__((unused))
static void gpiosim_remove_dir(const char *dir)
{
	char path[400];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/live", dir);
	gpiosim_write(path, "0");
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path))
			gpiosim_remove_bank(path);   /* the attributes (live, dev_name) are no folders */
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Makes chip `name` live with num_lines lines, lines[0..n_lines) named,
 * and fills sim. A chip of that name left by an earlier run is removed
 * first. 0, or -errno with nothing left behind. */
__attribute__((unused))
static int gpiosim_create(struct gpiosim *sim, const char *name, int num_lines,
			  const struct gpiosim_line *lines, int n_lines)
{
	char path[400], num[16], dev[64];
	int r = 0;

	memset(sim, 0, sizeof(*sim));
	if ((size_t)snprintf(sim->dir, sizeof(sim->dir), "%s/%s", GPIOSIM_CONFIGFS, name) >= sizeof(sim->dir))
		return -ENAMETOOLONG;
	gpiosim_remove_dir(sim->dir);
	snprintf(path, sizeof(path), "%s/bank0", sim->dir);
	if (mkdir(sim->dir, 0755) < 0 || mkdir(path, 0755) < 0) {
		r = -errno;
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/bank0/num_lines", sim->dir);
	snprintf(num, sizeof(num), "%d", num_lines);
	if ((r = gpiosim_write(path, num)) < 0)
		goto fail;
	for (int i = 0; i < n_lines; i++) {
		snprintf(path, sizeof(path), "%s/bank0/line%d", sim->dir, lines[i].offset);
		if (mkdir(path, 0755) < 0) {
			r = -errno;
			goto fail;
		}
		snprintf(path, sizeof(path), "%s/bank0/line%d/name", sim->dir, lines[i].offset);
		if ((r = gpiosim_write(path, lines[i].name)) < 0)
			goto fail;
	}
	snprintf(path, sizeof(path), "%s/live", sim->dir);
	if ((r = gpiosim_write(path, "1")) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/dev_name", sim->dir);
	if ((r = gpiosim_read(path, dev, sizeof(dev))) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/bank0/chip_name", sim->dir);
	if ((r = gpiosim_read(path, sim->chip, sizeof(sim->chip))) < 0)
		goto fail;
	snprintf(sim->sys, sizeof(sim->sys), "/sys/devices/platform/%s/%s", dev, sim->chip);
	return 0;
fail:
	gpiosim_remove_dir(sim->dir);
	return r;
}

/* Pulls line `offset` up (a released active-low button) or down (pressed:
 * the contact to GND). 0 or -errno. */
__attribute__((unused))
static int gpiosim_pull(const struct gpiosim *sim, int offset, bool up)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/sim_gpio%d/pull", sim->sys, offset);
	return gpiosim_write(path, up ? "pull-up" : "pull-down");
}

/* Takes the chip down and removes it from configfs. */
__attribute__((unused))
static void gpiosim_remove(struct gpiosim *sim)
{
	if (sim->dir[0])
		gpiosim_remove_dir(sim->dir);
	sim->dir[0] = '\0';
}

#endif
