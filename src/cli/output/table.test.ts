import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable, dockerStyle, kubeStyle } from './table.js';

describe('renderTable', () => {
  test('kubectl layout: widest cell plus 3 spaces, minimum 6, last column unpadded', () => {
    const text = renderTable(['NAME', 'READY', 'STATUS'], [['web', '1/1', 'Running'], ['database-0', '0/1', 'Pending']], kubeStyle);
    assert.equal(text, [
      'NAME         READY   STATUS',
      'web          1/1     Running',
      'database-0   0/1     Pending',
      '',
    ].join('\n'));
  });

  test('a cell with a line break or an escape sequence cannot forge a row or drive the terminal: it is escaped, and widths count the escape', () => {
    const text = renderTable(['NAME', 'IP'], [['web', '10.0.0.5\nevil   6.6.6.6'], ['\u001b[31mred', '10.0.0.6']], kubeStyle);
    assert.equal(text, [
      'NAME          IP',
      'web           10.0.0.5\\nevil   6.6.6.6',
      '\\x1b[31mred   10.0.0.6',
      '',
    ].join('\n'));
    assert.equal(text.split('\n').length, 4, 'one line per row');
  });

  test('docker layout: minimum width 10', () => {
    const text = renderTable(['ID', 'IMAGE'], [['a', 'busybox']], dockerStyle);
    assert.equal(text, 'ID        IMAGE\na         busybox\n');
  });

  test('empty trailing cells leave no trailing spaces', () => {
    assert.equal(renderTable(['A', 'B', 'C'], [['x', 'y', '']], kubeStyle), 'A     B     C\nx     y\n');
  });

  test('decoration (colour) is applied after padding so columns stay aligned', () => {
    const text = renderTable(['A', 'B'], [['xx', 'y']], kubeStyle, (t, _r, c) => (c === 0 ? `<${t}>` : t));
    assert.equal(text, 'A     B\n<xx    >y\n');
  });
});
