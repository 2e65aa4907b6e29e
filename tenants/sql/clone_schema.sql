-- weft_clone_schema(src, dst): an exact copy of a tenant schema made of plain
-- tables, in the caller's transaction. Tables keep every column, default,
-- identity, check constraint and row; primary keys, unique constraints,
-- indexes and foreign keys are recreated under their original names (later
-- migrations find constraints by name). Identity sequences continue after the
-- copied rows. Anything else in the source (views, functions, triggers, types,
-- free-standing sequences) is refused with an error rather than half-copied.
-- Catalog lookups go through the catalogs' indexes (pg_depend by depender,
-- pg_constraint by table): the catalogs grow by ~400 relations per workspace,
-- and a lookup that scans pg_constraint once per index made a clone take
-- 0.4 s with 20 workspaces and 3.3 s with 330 (docs/performance.md).
CREATE OR REPLACE FUNCTION public.weft_clone_schema(src text, dst text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  statements text[] := '{}';
  stmt text;
  unsupported text;
BEGIN
  SELECT string_agg(c.relname || ' (' || c.relkind::text || ')', ', ') INTO unsupported
    FROM pg_class c
   WHERE c.relnamespace = src::regnamespace
     AND NOT (c.relkind IN ('r', 'i')
              OR (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend dep
                                               WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
                                                 AND dep.objsubid = 0 AND dep.deptype = 'i')));
  IF unsupported IS NULL THEN
    SELECT string_agg(p.proname, ', ') INTO unsupported FROM pg_proc p WHERE p.pronamespace = src::regnamespace;
  END IF;
  IF unsupported IS NULL THEN
    SELECT string_agg(t.tgname, ', ') INTO unsupported
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = src::regnamespace AND NOT t.tgisinternal;
  END IF;
  IF unsupported IS NOT NULL THEN
    RAISE EXCEPTION 'weft_clone_schema: % holds objects it cannot copy: %', src, unsupported;
  END IF;

  EXECUTE format('CREATE SCHEMA %I', dst);
  FOR r IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = src::regnamespace AND c.relkind = 'r' ORDER BY c.relname LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS '
                   'INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS)', dst, r.relname, src, r.relname);
    EXECUTE format('INSERT INTO %I.%I OVERRIDING SYSTEM VALUE SELECT * FROM %I.%I', dst, r.relname, src, r.relname);
  END LOOP;

  -- Definitions are read with the source first on the search path, so they
  -- come back unqualified, and run with the destination first.
  PERFORM set_config('search_path', quote_ident(src), true);
  FOR r IN SELECT con.conname, cl.relname, pg_get_constraintdef(con.oid) AS def
             FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
            WHERE con.connamespace = src::regnamespace AND con.contype IN ('p', 'u', 'x', 'f')
            ORDER BY con.contype = 'f', con.conname LOOP
    statements := statements || format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', dst, r.relname, r.conname, r.def);
  END LOOP;
  PERFORM set_config('search_path', '', true);
  FOR r IN SELECT replace(pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident(src) || '.',
                          ' ON ' || quote_ident(dst) || '.') AS def
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE ic.relnamespace = src::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                               WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid
                                 AND con.contype IN ('p', 'u', 'x')) LOOP
    statements := statements || r.def;
  END LOOP;
  PERFORM set_config('search_path', quote_ident(dst), true);
  FOREACH stmt IN ARRAY statements LOOP
    EXECUTE stmt;
  END LOOP;

  FOR r IN SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = dst::regnamespace AND c.relkind = 'r' AND a.attidentity <> '' LOOP
    EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce((SELECT max(%I) FROM %I.%I), 0) + 1, false)',
                   quote_ident(dst) || '.' || quote_ident(r.relname), r.attname, r.attname, dst, r.relname);
  END LOOP;
  PERFORM set_config('search_path', 'public', true);
END $$;
