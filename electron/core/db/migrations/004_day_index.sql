-- The queue board's two indexes become one. (business_date, status, id DESC) moved a request's entry to
-- another place in the index on every change of status, often splitting pages; with status as the last
-- column the entry stays where it is and one page changes. The board filters a day's entries by status
-- inside this index and reads them newest first by scanning it backwards; the day's counts come from the
-- index alone.
DROP INDEX applications_board;
DROP INDEX applications_by_day;
CREATE INDEX applications_day ON applications (business_date, id, status);
