#!/usr/bin/env bash
# Makes the binlog fixtures of these cases (kept in the tree; run again only
# to change them, then regenerate the .out files and review the diff):
#
#   tests/sandbox/sandbox run --no-downstream -- tests/cli/dm-binlog/make-fixture.sh
#
# mariadb-10.11.000001  a MariaDB 10.11 binlog: row events with and without
#                       column names (binlog_row_metadata FULL / MINIMAL),
#                       many column types, statements, user variables, an
#                       XA transaction, two GTID domains
# corrupt.000001        the same with one byte of a row event flipped
# truncated.000001      the same cut in the middle of an event
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${DM_SANDBOX_DIR:?run me inside tests/sandbox/sandbox run}"
m() { mariadb --defaults-file="$DM_SANDBOX_DIR/u1/client.cnf" "$@"; }

m -e "SET GLOBAL binlog_row_metadata=MINIMAL"
m <<'SQL'
CREATE DATABASE legacy;
CREATE TABLE legacy.t (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO legacy.t VALUES (1, 'one'), (2, 'two');
UPDATE legacy.t SET v = 'uno' WHERE id = 1;
DELETE FROM legacy.t WHERE id = 2;
SQL
m -e "SET GLOBAL binlog_row_metadata=FULL"
m <<'SQL'
CREATE DATABASE shop;
USE shop;
SET NAMES utf8mb4;
SET SESSION sql_mode = '';
CREATE TABLE orders (
  id INT PRIMARY KEY,
  customer VARCHAR(30) CHARACTER SET utf8mb4,
  total DECIMAL(10,2),
  note TEXT,
  created DATETIME(3),
  paid TIMESTAMP(6) NULL,
  d DATE,
  t TIME(1),
  y YEAR,
  flags SET('gift','rush','fragile'),
  state ENUM('open','paid','shipped'),
  raw VARBINARY(8),
  f FLOAT,
  g DOUBLE,
  u BIGINT UNSIGNED,
  neg TINYINT,
  b BIT(10),
  j LONGTEXT
);
SET time_zone = '+00:00';
INSERT INTO orders VALUES
  (1, 'Zoë 🐬', 12.50, 'first; with a semicolon', '2024-02-29 23:59:59.123',
   '2024-03-01 00:00:00.5', '2024-02-29', '-838:59:59.9', 2024,
   'gift,fragile', 'open', x'00ff0a27', 1.5, -2.25e-300,
   18446744073709551615, -128, b'1010101010', '{"a": [1, 2]}'),
  (2, '', -0.00, NULL, '0000-00-00 00:00:00', NULL, '0000-00-00',
   '00:00:00', 0, '', 'paid', '', 0, 0, 0, 0, b'0', NULL);
UPDATE orders SET state = 'shipped', total = total + 1 WHERE id = 1;
DELETE FROM orders WHERE id = 2;
SET @who = 'batch', @n = 7;
SET SESSION binlog_format = STATEMENT;
INSERT INTO orders (id, customer, note) VALUES (3, @who, CONCAT('n=', @n));
SET SESSION binlog_format = ROW;
XA START 'x1', 'b1', 9;
INSERT INTO orders (id) VALUES (4);
XA END 'x1', 'b1', 9;
XA PREPARE 'x1', 'b1', 9;
XA COMMIT 'x1', 'b1', 9;
SET SESSION gtid_domain_id = 2;
CREATE TABLE audit (n INT);
INSERT INTO audit VALUES (1), (2), (3);
SET SESSION gtid_domain_id = 0;
FLUSH BINARY LOGS;
SQL
src=$DM_SANDBOX_DIR/u1/data/mysql-bin.000001
cp "$src" "$here/mariadb-10.11.000001"
cp "$src" "$here/corrupt.000001"
# One byte inside the Write_rows event of shop.orders (the second one of
# the file): its checksum no longer matches.
mariadb-binlog "$src" >"$DM_SANDBOX_DIR/fixture.txt"
off=$(awk '/^# at / { p = $3 } /\tWrite_rows: table id/ && ++n == 2 { print p; exit }' \
	"$DM_SANDBOX_DIR/fixture.txt")
printf '\x55' | dd of="$here/corrupt.000001" bs=1 seek=$((off + 40)) conv=notrunc status=none
size=$(stat -c %s "$src")
head -c $((size - 10)) "$src" >"$here/truncated.000001"
chmod 644 "$here"/*.000001
echo "fixtures written; corrupt byte at $((off + 40))"
