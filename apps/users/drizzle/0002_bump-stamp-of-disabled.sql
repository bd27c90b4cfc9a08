-- 0001 gave every account stamp 0, the stamp auth reads for sessions begun
-- before it. An account disabled before 0001 would get those sessions back when
-- re-enabled; a bump now does what a disable after 0001 does.
UPDATE `users` SET `session_stamp` = `session_stamp` + 1 WHERE `disabled` = 1;
