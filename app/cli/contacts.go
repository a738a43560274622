package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// The contact directory (通讯录) commands: `wwkit user …` beside user get,
// and `wwkit department …`.

// departmentID checks a department id argument.
func departmentID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("%s %q: give the numeric department id (wwkit department list shows them)", what, s)
	}
	return id, nil
}

// departmentIDs parses --department "1,2".
func departmentIDs(s string) ([]int64, error) {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		id, err := departmentID("--department", p)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, Usagef("--department %q: give one or more department ids, comma-separated (e.g. 2,3)", s)
	}
	return out, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func fetchChild(recursive bool) string {
	if recursive {
		return "1"
	}
	return ""
}

// addUserContactCmds adds the directory commands to `wwkit user`.
func addUserContactCmds(env *Env, user *cobra.Command) {
	user.Short = "Read and change WeCom members (通讯录)"
	user.Long = `user reads and changes the members of the corp's directory (通讯录). An app
sees only the members in its visible range (可见范围, errcode 60011 otherwise);
create, update and delete need a secret with write permission (the contact-sync
secret, 通讯录同步). docs/contacts.md lists the errcodes.`
	var recursive bool
	simple := &cobra.Command{
		Use:   "simplelist DEPARTMENT_ID",
		Short: "List the userid and name of a department's members (user/simplelist)",
		Example: `  wwkit user simplelist 1 --recursive
  wwkit user simplelist 2 --json`,
		Args: cobra.ExactArgs(1),
	}
	simple.Flags().BoolVarP(&recursive, "recursive", "r", false, "include sub-departments (fetch_child=1)")
	wecomCmd(env, simple, func(a []string) error { _, err := departmentID("DEPARTMENT_ID", a[0]); return err },
		func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
			l, err := c.ListUsersSimple(ctx, a[0], fetchChild(recursive))
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"userlist": l.UserList}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "USERID\tNAME\tDEPARTMENT")
				for _, u := range l.UserList {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", u.UserID, u.Name, joinIDs(u.Department))
				}
				tw.Flush()
			}, nil
		})

	var recursiveList bool
	list := &cobra.Command{
		Use:   "list DEPARTMENT_ID",
		Short: "List a department's members with their details (user/list)",
		Example: `  wwkit user list 1 --recursive
  wwkit user list 3 --json`,
		Args: cobra.ExactArgs(1),
	}
	list.Flags().BoolVarP(&recursiveList, "recursive", "r", false, "include sub-departments (fetch_child=1)")
	wecomCmd(env, list, func(a []string) error { _, err := departmentID("DEPARTMENT_ID", a[0]); return err },
		func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
			l, err := c.ListUsers(ctx, a[0], fetchChild(recursiveList))
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"userlist": l.UserList}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "USERID\tNAME\tDEPARTMENT\tPOSITION\tSTATUS")
				for _, u := range l.UserList {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.UserID, u.Name, joinIDs(u.Department), u.Position, userStatus(u.Status))
				}
				tw.Flush()
			}, nil
		})

	user.AddCommand(simple, list, userWriteCmd(env, true), userWriteCmd(env, false), userDeleteCmd(env), userGetIDCmd(env))
}

func userStatus(s int) string {
	switch s {
	case 1:
		return "active"
	case 2:
		return "disabled"
	case 4:
		return "not activated"
	case 5:
		return "exited"
	}
	return strconv.Itoa(s)
}

// userWriteCmd is `user create` (create true) or `user update`.
func userWriteCmd(env *Env, create bool) *cobra.Command {
	var u api.User
	var dept string
	cmd := &cobra.Command{
		Use:   "create USERID --name NAME (--mobile MOBILE | --email EMAIL)",
		Short: "Create a member (user/create)",
		Example: `  wwkit user create zhouba --name 周八 --mobile 13800000008 --department 2 --position 前端工程师
  wwkit user create wujiu --name 吴九 --email wujiu@example.com --json`,
		Args: cobra.ExactArgs(1),
	}
	if !create {
		cmd.Use = "update USERID [--name …] [--mobile …] [--department …] …"
		cmd.Short = "Update a member (user/update): only the flags given change"
		cmd.Example = `  wwkit user update zhouba --position 前端负责人
  wwkit user update zhouba --department 2,3 --json`
	}
	f := cmd.Flags()
	f.StringVar(&u.Name, "name", "", "name (姓名), 1 to 64 bytes")
	f.StringVar(&u.Mobile, "mobile", "", "mobile, e.g. 13800000000 or +852-12345678")
	f.StringVar(&u.Email, "email", "", "email")
	f.StringVar(&u.BizMail, "biz-mail", "", "corp mailbox (企业邮箱)")
	f.StringVar(&dept, "department", "", "department ids, comma-separated (default on create: the root department)")
	f.StringVar(&u.Position, "position", "", "position (职务)")
	f.StringVar(&u.Gender, "gender", "", "1 male, 2 female")
	f.StringVar(&u.Alias, "alias", "", "alias (别名)")
	f.StringVar(&u.Telephone, "telephone", "", "landline (座机)")
	check := func(a []string) error {
		if dept != "" {
			ids, err := departmentIDs(dept)
			if err != nil {
				return err
			}
			u.Department = ids
		}
		if u.Gender != "" && u.Gender != "1" && u.Gender != "2" {
			return Usagef("--gender %q: use 1 (male) or 2 (female)", u.Gender)
		}
		if create && u.Name == "" {
			return Usagef("user create needs --name (the member's name)")
		}
		if create && u.Mobile == "" && u.Email == "" {
			return Usagef("user create needs --mobile or --email: WeCom invites the member through one of them")
		}
		if !create && u.Name == "" && u.Mobile == "" && u.Email == "" && u.BizMail == "" && dept == "" && u.Position == "" && u.Gender == "" && u.Alias == "" && u.Telephone == "" {
			return Usagef("user update needs at least one field to change (--name, --mobile, --department, --position, …)")
		}
		u.UserID = a[0]
		return nil
	}
	return wecomCmd(env, cmd, check, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		call, verb := c.UpdateUser, "updated"
		if create {
			call, verb = c.CreateUser, "created"
		}
		if _, err := call(ctx, &u); err != nil {
			return nil, nil, err
		}
		return map[string]any{"userid": u.UserID}, func(w io.Writer) { fmt.Fprintf(w, "%s %s\n", verb, u.UserID) }, nil
	})
}

func userDeleteCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "delete USERID",
		Short:   "Delete a member (user/delete)",
		Example: `  wwkit user delete zhouba`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, nil, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		if _, err := c.DeleteUser(ctx, a[0]); err != nil {
			return nil, nil, err
		}
		return map[string]any{"userid": a[0]}, func(w io.Writer) { fmt.Fprintf(w, "deleted %s\n", a[0]) }, nil
	})
}

func userGetIDCmd(env *Env) *cobra.Command {
	var mobile, email, emailType string
	cmd := &cobra.Command{
		Use:   "getuserid (--mobile MOBILE | --email EMAIL [--email-type corp|personal])",
		Short: "Find a member's userid by mobile (user/getuserid) or email (user/get_userid_by_email)",
		Example: `  wwkit user getuserid --mobile 13800000001
  wwkit user getuserid --email zhangsan@example.com --email-type personal --json`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&mobile, "mobile", "", "the member's mobile")
	cmd.Flags().StringVar(&email, "email", "", "the member's email")
	cmd.Flags().StringVar(&emailType, "email-type", "corp", "corp (企业邮箱, biz_mail) or personal (个人邮箱)")
	check := func([]string) error {
		if (mobile == "") == (email == "") {
			return Usagef("user getuserid needs exactly one of --mobile or --email")
		}
		if emailType != "corp" && emailType != "personal" {
			return Usagef("--email-type %q: use corp (企业邮箱) or personal (个人邮箱)", emailType)
		}
		return nil
	}
	return wecomCmd(env, cmd, check, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		var r *api.UserIDResult
		var err error
		if mobile != "" {
			r, err = c.GetUserIDByMobile(ctx, &api.MobileBody{Mobile: mobile})
		} else {
			t := 1
			if emailType == "personal" {
				t = 2
			}
			r, err = c.GetUserIDByEmail(ctx, &api.EmailBody{Email: email, EmailType: t})
		}
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"userid": r.UserID}, func(w io.Writer) { fmt.Fprintln(w, r.UserID) }, nil
	})
}

// newDepartmentCmd is `wwkit department`.
func newDepartmentCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "department",
		Short: "Read and change WeCom departments (部门, 通讯录)",
		Long: `department reads and changes the corp's departments. An app sees only the
departments in its visible range (可见范围, errcode 60011 otherwise); create,
update and delete need a secret with write permission (the contact-sync secret,
通讯录同步). docs/contacts.md lists the errcodes.`,
		Args: cobra.NoArgs,
	}
	list := &cobra.Command{
		Use:   "list [ID]",
		Short: "List a department and all below it, or every visible department (department/list)",
		Example: `  wwkit department list
  wwkit department list 2 --json`,
		Args: cobra.MaximumNArgs(1),
	}
	wecomCmd(env, list, func(a []string) error {
		if len(a) == 1 {
			_, err := departmentID("ID", a[0])
			return err
		}
		return nil
	}, func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
		id := ""
		if len(a) == 1 {
			id = a[0]
		}
		l, err := c.ListDepartments(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"department": l.Department}, func(w io.Writer) {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tPARENT\tORDER")
			for _, d := range l.Department {
				fmt.Fprintf(tw, "%d\t%s\t%d\t%d\n", d.ID, d.Name, d.ParentID, d.Order)
			}
			tw.Flush()
		}, nil
	})

	get := &cobra.Command{
		Use:     "get ID",
		Short:   "Read one department (department/get)",
		Example: `  wwkit department get 2 --json`,
		Args:    cobra.ExactArgs(1),
	}
	wecomCmd(env, get, func(a []string) error { _, err := departmentID("ID", a[0]); return err },
		func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
			d, err := c.GetDepartment(ctx, a[0])
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"department": d.Department}, func(w io.Writer) {
				x := d.Department
				fmt.Fprintf(w, "id:      %d\nname:    %s\nparent:  %d\norder:   %d\n", x.ID, x.Name, x.ParentID, x.Order)
				if x.NameEn != "" {
					fmt.Fprintf(w, "name_en: %s\n", x.NameEn)
				}
				if len(x.DepartmentLeader) > 0 {
					fmt.Fprintf(w, "leaders: %s\n", strings.Join(x.DepartmentLeader, ","))
				}
			}, nil
		})

	cmd.AddCommand(list, get, departmentWriteCmd(env, true), departmentWriteCmd(env, false), departmentDeleteCmd(env))
	return cmd
}

// departmentWriteCmd is `department create` (create true) or `update`.
func departmentWriteCmd(env *Env, create bool) *cobra.Command {
	var d api.Department
	var id string
	cmd := &cobra.Command{
		Use:   "create --name NAME --parent ID",
		Short: "Create a department (department/create) and print its id",
		Example: `  wwkit department create --name 前端组 --parent 2
  wwkit department create --name 华南销售部 --name-en "South China Sales" --parent 3 --order 100 --json`,
		Args: cobra.NoArgs,
	}
	if !create {
		cmd.Use = "update ID [--name …] [--parent …] [--order …]"
		cmd.Short = "Update a department (department/update): only the flags given change"
		cmd.Example = `  wwkit department update 4 --name 大前端组
  wwkit department update 4 --parent 3 --json`
		cmd.Args = cobra.ExactArgs(1)
	}
	f := cmd.Flags()
	f.StringVar(&d.Name, "name", "", "name (部门名称), 1 to 32 characters, none of \\:*?\"<>|")
	f.StringVar(&d.NameEn, "name-en", "", "English name")
	f.Int64Var(&d.ParentID, "parent", 0, "parent department id")
	f.Int64Var(&d.Order, "order", 0, "order among siblings (larger first)")
	if create {
		f.StringVar(&id, "id", "", "the new department's id (default: the server picks one)")
	}
	check := func(a []string) error {
		if !create {
			id = a[0]
		}
		if id != "" {
			n, err := departmentID("department id", id)
			if err != nil {
				return err
			}
			d.ID = n
		}
		if d.ParentID < 0 {
			return Usagef("--parent %d: give the numeric id of the parent department", d.ParentID)
		}
		if create && (d.Name == "" || d.ParentID == 0) {
			return Usagef("department create needs --name and --parent (the parent's id; 1 is usually the root)")
		}
		if !create && d.Name == "" && d.NameEn == "" && d.ParentID == 0 && d.Order == 0 {
			return Usagef("department update needs at least one of --name, --name-en, --parent, --order")
		}
		return nil
	}
	return wecomCmd(env, cmd, check, func(ctx context.Context, c *api.WeCom, _ []string) (map[string]any, func(io.Writer), error) {
		if create {
			r, err := c.CreateDepartment(ctx, &d)
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"id": r.ID}, func(w io.Writer) { fmt.Fprintf(w, "created department %d\n", r.ID) }, nil
		}
		if _, err := c.UpdateDepartment(ctx, &d); err != nil {
			return nil, nil, err
		}
		return map[string]any{"id": d.ID}, func(w io.Writer) { fmt.Fprintf(w, "updated department %d\n", d.ID) }, nil
	})
}

func departmentDeleteCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "delete ID",
		Short:   "Delete an empty department (department/delete)",
		Example: `  wwkit department delete 4`,
		Args:    cobra.ExactArgs(1),
	}
	return wecomCmd(env, cmd, func(a []string) error { _, err := departmentID("ID", a[0]); return err },
		func(ctx context.Context, c *api.WeCom, a []string) (map[string]any, func(io.Writer), error) {
			if _, err := c.DeleteDepartment(ctx, a[0]); err != nil {
				return nil, nil, err
			}
			return map[string]any{"id": a[0]}, func(w io.Writer) { fmt.Fprintf(w, "deleted department %s\n", a[0]) }, nil
		})
}
