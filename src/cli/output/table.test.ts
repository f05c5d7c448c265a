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
