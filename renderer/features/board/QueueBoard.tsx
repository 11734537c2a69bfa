import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Empty, Input, Table, Tag, type InputRef, type TableRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { maskIdNumber, maskMobile, type ApplicationSummary, type RpcError } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';
import { useDesk, useTimeZone } from '../../app/SystemInfo';
import { useNavigation } from '../workspace/navigation';
import { boardColumns } from './boardColumns';
import { BOARD_FILTERS, countOf, type BoardFilter } from './statusGroups';
import { useAvailableHeight } from './useAvailableHeight';
import { SupervisorGrantDialog } from '../authorization/SupervisorGrantDialog';
import { useQueueBoard } from './useQueueBoard';

interface SearchResult {
  query: string;
  kind: string;
  rows: ApplicationSummary[];
}

/** What the teller searched for, as the board may show it: ID and phone numbers masked. */
function maskedQuery(result: SearchResult): string {
  if (result.kind === 'document') return maskIdNumber(result.query.trim());
  if (result.kind === 'mobile') return maskMobile(result.query.replace(/\D/g, '').slice(-11));
  return result.query.trim();
}

const PAGE_STEP = 10;

/**
 * 排队看板: today's requests by status with counts, ticket numbers and waiting time; a search box for any
 * number a customer brings; ↑/↓ choose a request and Enter opens it. The table is virtual, so a day of
 * 5,000 requests scrolls as lightly as a day of ten.
 */
export default function QueueBoard(props: { visible: boolean }) {
  const { t } = useTranslation();
  const { refusalText } = useCodeText();
  const timeZone = useTimeZone();
  const navigation = useNavigation();
  const [filter, setFilter] = useState<BoardFilter>('open');
  const board = useQueueBoard(filter, props.visible);
  const [search, setSearch] = useState<SearchResult | null>(null);
  const [searchText, setSearchText] = useState('');
  const [searchError, setSearchError] = useState<RpcError | null>(null);
  /** The query waiting for a supervisor's grant: the teller's exact-lookup budget is spent. */
  const [grantFor, setGrantFor] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const tableRef = useRef<TableRef>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<InputRef>(null);
  const tableHeight = useAvailableHeight(listRef, 80);

  const rows = search ? search.rows : board.rows;

  useEffect(() => {
    if (!props.visible) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [props.visible]);

  // A walk-in just registered (F2) becomes the selected row once the board shows it.
  const { lastRegisteredId } = navigation;
  const wantedId = useRef<number | null>(null);
  const reloadBoard = useRef(board.reload);
  reloadBoard.current = board.reload;
  useEffect(() => {
    if (lastRegisteredId === null) return;
    wantedId.current = lastRegisteredId;
    setSearch(null);
    setFilter((current) => (current === 'open' || current === 'waiting' || current === 'all' ? current : 'open'));
    reloadBoard.current();
  }, [lastRegisteredId]);

  const selectedIndex = useMemo(() => rows.findIndex((row) => row.id === selectedId), [rows, selectedId]);

  useEffect(() => {
    const wanted = wantedId.current;
    if (wanted !== null && rows.some((row) => row.id === wanted)) {
      wantedId.current = null;
      setSelectedId(wanted);
      return;
    }
    if (rows.length > 0 && selectedIndex === -1) setSelectedId(rows[0]?.id ?? null);
  }, [rows, selectedIndex]);

  useEffect(() => {
    if (selectedIndex >= 0) tableRef.current?.scrollTo({ index: selectedIndex, align: 'auto' } as never);
  }, [selectedIndex]);

  useEffect(() => {
    if (!props.visible) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'F3') return;
      event.preventDefault();
      searchRef.current?.focus({ cursor: 'all' });
    };
    window.addEventListener('keydown', onKey);
    // Coming back to the board puts the keyboard on the list, ready for ↑/↓ and Enter.
    listRef.current?.focus({ preventScroll: true });
    return () => window.removeEventListener('keydown', onKey);
  }, [props.visible]);

  const open = useCallback((row: ApplicationSummary | undefined) => {
    if (row) navigation.go({ screen: 'application', id: row.id });
  }, [navigation]);

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const move = (index: number) => {
      event.preventDefault();
      const bounded = Math.min(rows.length - 1, Math.max(0, index));
      setSelectedId(rows[bounded]?.id ?? null);
    };
    const at = selectedIndex < 0 ? 0 : selectedIndex;
    switch (event.key) {
      case 'ArrowDown':
        return move(at + 1);
      case 'ArrowUp':
        return move(at - 1);
      case 'PageDown':
        return move(at + PAGE_STEP);
      case 'PageUp':
        return move(at - PAGE_STEP);
      case 'Home':
        return move(0);
      case 'End':
        return move(rows.length - 1);
      case 'Enter':
        event.preventDefault();
        return open(rows[at]);
    }
  };

  const runSearch = async (grantId?: number, asked?: string): Promise<RpcError | null> => {
    const query = asked ?? searchText.trim();
    if (query === '') {
      setSearch(null);
      return null;
    }
    const result = await call('applications.search', { query, ...(grantId !== undefined ? { grantId } : {}) });
    if (!result.ok) {
      if (grantId === undefined) setSearchError(result.error);
      return result.error;
    }
    setSearchError(null);
    setGrantFor(null);
    setSearch({ query, kind: result.value.kind, rows: result.value.rows });
    setSelectedId(result.value.rows[0]?.id ?? null);
    listRef.current?.focus();
    return null;
  };

  const needsGrant = searchError?.code === 'AUTHORIZATION_REQUIRED' && searchError.details?.action === 'exact_lookup';

  const clearSearch = () => {
    setSearch(null);
    setSearchText('');
    setSearchError(null);
  };

  const desk = useDesk();
  const columns = useMemo(() => boardColumns(t, now, timeZone, desk), [t, now, timeZone, desk]);

  return (
    <section className="queue-board" aria-labelledby="board-title">
      <div className="board-toolbar">
        <h2 id="board-title" className="screen-title">
          {t('board.title')}
          {board.businessDate && <span className="screen-subtitle">{board.businessDate}</span>}
        </h2>
        <div className="board-search">
          <label htmlFor="board-search" className="visually-hidden">
            {t('board.searchLabel')}
          </label>
          <Input
            id="board-search"
            ref={searchRef}
            value={searchText}
            allowClear
            prefix={<SearchOutlined aria-hidden />}
            placeholder={t('board.searchPlaceholder')}
            onChange={(event) => {
              setSearchText(event.target.value);
              if (event.target.value === '') clearSearch();
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void runSearch();
              }
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                listRef.current?.focus();
              }
            }}
            autoComplete="off"
            spellCheck={false}
          />
          <Button onClick={() => void runSearch()}>{t('board.search')}</Button>
        </div>
      </div>

      <div className="board-filters" role="tablist" aria-label={t('board.filtersLabel')}>
        {BOARD_FILTERS.map((item) => (
          <button
            key={item}
            type="button"
            role="tab"
            aria-selected={!search && filter === item}
            className={`board-filter${!search && filter === item ? ' board-filter-active' : ''}`}
            data-filter={item}
            onClick={() => {
              clearSearch();
              setFilter(item);
            }}
          >
            <span className="board-filter-label">{t(`board.filter.${item}`)}</span>
            <span className="board-filter-count">{countOf(item, board.counts)}</span>
          </button>
        ))}
      </div>

      {search && (
        <Alert
          className="board-search-result"
          type="info"
          showIcon
          title={t('board.searchResult', { query: maskedQuery(search), kind: t(`board.searchKind.${search.kind}`, { defaultValue: search.kind }), count: search.rows.length })}
          action={<Button size="small" onClick={clearSearch}>{t('board.clearSearch')}</Button>}
        />
      )}
      {searchError && (
        <Alert
          type="error"
          showIcon
          title={refusalText(searchError)}
          className="board-search-result"
          data-testid="board-search-error"
          action={
            needsGrant ? (
              <Button size="small" onClick={() => setGrantFor(searchText.trim())} data-testid="board-search-grant">
                {t('board.lookupGrant')}
              </Button>
            ) : undefined
          }
        />
      )}
      {grantFor !== null && (
        <SupervisorGrantDialog
          action="exact_lookup"
          scope={{}}
          testIdPrefix="lookup-grant"
          title={t('board.lookupGrantTitle')}
          confirmLabel={t('board.lookupGrantConfirm')}
          onGranted={(grantId) => runSearch(grantId, grantFor)}
          onClose={() => setGrantFor(null)}
        />
      )}
      {board.error && !search && <Alert type="error" showIcon title={refusalText(board.error)} />}

      <div
        ref={listRef}
        className="board-list"
        tabIndex={0}
        role="grid"
        aria-label={t('board.listLabel')}
        aria-rowcount={rows.length + 1}
        aria-activedescendant={selectedId !== null ? `board-row-${selectedId}` : undefined}
        onKeyDown={onListKey}
        data-testid="board-list"
      >
        <Table<ApplicationSummary>
          ref={tableRef}
          virtual
          size="middle"
          rowKey="id"
          columns={columns}
          dataSource={rows}
          pagination={false}
          loading={board.loading && !search && rows.length === 0}
          scroll={{ x: 1210, y: tableHeight }}
          locale={{ emptyText: <Empty description={search ? t('board.noResults') : t('board.empty')} /> }}
          rowClassName={(row) => (row.id === selectedId ? 'board-row board-row-selected' : 'board-row')}
          // Rows and cells as a grid's, for a screen reader (the virtual table draws <div>s).
          onRow={(row, index) => ({
            id: `board-row-${row.id}`,
            role: 'row',
            'aria-rowindex': (index ?? 0) + 2,
            'aria-selected': row.id === selectedId,
            'data-ticket': row.ticketNo,
            onClick: () => setSelectedId(row.id),
            onDoubleClick: () => open(row),
          })}
        />
      </div>
      <div className="board-footer">
        <span>{t('board.keys')}</span>
        {search && <Tag>{t('board.searchScope')}</Tag>}
      </div>
    </section>
  );
}
